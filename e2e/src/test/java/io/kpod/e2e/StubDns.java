package io.kpod.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A DNS server for tests on {@code address}:53 (UDP) that answers every A question with
 * {@code answer} and every other question with no records: enough to tell whether a query
 * reached it, with nothing leaving the machine.
 */
final class StubDns implements AutoCloseable {
    private final DatagramSocket socket;
    private final byte[] answer;

    private StubDns(DatagramSocket socket, byte[] answer) {
        this.socket = socket;
        this.answer = answer;
    }

    static StubDns start(String address, String answerIp) {
        try {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 53));
            StubDns d = new StubDns(s, InetAddress.getByName(answerIp).getAddress());
            Thread t = new Thread(d::serve, "stub-dns");
            t.setDaemon(true);
            t.start();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void serve() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                byte[] reply = reply(Arrays.copyOf(p.getData(), p.getLength()));
                if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (SocketException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // a malformed question: no answer, as a server would drop it
            }
        }
    }

    /** The answer to one question: the header and question echoed, one A record when A was asked. */
    private byte[] reply(byte[] q) {
        if (q.length < 17) {
            return null;
        }
        int end = 12;
        while (q[end] != 0) {
            end += (q[end] & 0xff) + 1;
        }
        end += 5; // the root label, QTYPE, QCLASS
        int qtype = ((q[end - 4] & 0xff) << 8) | (q[end - 3] & 0xff);
        boolean a = qtype == 1;
        ByteBuffer b = ByteBuffer.allocate(end + 16);
        b.put(q, 0, 2); // id
        b.putShort((short) 0x8180); // a response, recursion desired and available, NOERROR
        b.putShort((short) 1).putShort((short) (a ? 1 : 0)).putShort((short) 0).putShort((short) 0);
        b.put(q, 12, end - 12);
        if (a) {
            b.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4).put(answer);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    @Override
    public void close() {
        socket.close();
    }
}
