package io.kpod.cli.commands;

import io.kpod.engine.image.registry.Credentials;
import io.kpod.spec.KpodException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod login REGISTRY}: check credentials against a registry and store them in auth.json. */
@Command(name = "login", description = "Log in to a container registry")
public final class LoginCommand extends BaseCommand {
    @Option(names = {"-u", "--username"}) String username;
    @Option(names = {"-p", "--password"}) String password;
    @Option(names = "--password-stdin", description = "Read the password from standard input") boolean passwordStdin;
    @Option(names = "--authfile", description = "Path of the authentication file (auth.json)") Path authFile;
    @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true",
            description = "Require HTTPS and verify certificates when contacting registries") Boolean tlsVerify;
    @Option(names = "--get-login", description = "Print the user name stored for the registry") boolean getLogin;

    @Parameters(index = "0", paramLabel = "REGISTRY") String registry;

    @Override
    public Integer call() throws IOException {
        if (getLogin) {
            Optional<Credentials> c = kpod().registries().auth().lookup(registry, "", Optional.ofNullable(authFile));
            out().println(c.orElseThrow(() -> KpodException.notFound("not logged into " + registry)).username());
            return 0;
        }
        if (password != null && passwordStdin) {
            throw KpodException.invalid("--password and --password-stdin cannot be used together");
        }
        Console console = System.console();
        if (username == null || username.isEmpty()) {
            if (console == null) {
                throw KpodException.invalid("a user name is required: use --username");
            }
            username = console.readLine("Username: ");
        }
        if (passwordStdin) {
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = r.readLine();
            password = line == null ? "" : line.replaceAll("[\r\n]+$", "");
        } else if (password == null) {
            if (console == null) {
                throw KpodException.invalid("a password is required: use --password-stdin");
            }
            char[] p = console.readPassword("Password: ");
            password = p == null ? "" : new String(p);
        }
        if (username.isEmpty() || password.isEmpty()) {
            throw KpodException.invalid("the user name and the password must not be empty");
        }
        kpod().registries().login(registry, new Credentials(username, password), Optional.ofNullable(authFile),
                Optional.ofNullable(tlsVerify));
        out().println("Login Succeeded!");
        return 0;
    }
}
