package kazgraph;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;
import org.neo4j.server.configuration.ServerSettings;

/**
 * Neo4j Community, APOC core and Neo4j Browser in one process, for kazgraph's development and
 * tests. Bolt and HTTP listen on 127.0.0.1 only, with authentication off.
 *
 * <pre>
 * java @jvm.args -cp 'target/classes:target/lib/*' kazgraph.LocalNeo4j \
 *     [--home DIR] [--bolt-port N] [--http-port N] [--plugins DIR]
 * </pre>
 *
 * <p>{@code --home} holds the graph ({@code data/}) and Neo4j's own logs ({@code logs/}); it is
 * kept between runs. APOC core is registered the way a Neo4j server does it: its jars are on the
 * classpath (for its extension factories, found by ServiceLoader) and in the plugins folder
 * ({@code server.directories.plugins}, which is the only place the procedure loader looks), with
 * {@code dbms.security.procedures.unrestricted=apoc.*}. {@code --plugins} defaults to
 * {@code target/plugins}, where the build copies the APOC jars. When the database is ready one
 * line goes to stdout:
 * {@code kazgraph-neo4j ready bolt://127.0.0.1:7687 http://127.0.0.1:7474/browser/}. SIGTERM or
 * SIGINT shuts the database down cleanly; a failure to start prints {@code kazgraph-neo4j failed:}
 * with the reason on stderr and exits with status 1.
 */
public final class LocalNeo4j {

    static final String HOST = "127.0.0.1";
    static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    private LocalNeo4j() {}

    /** The command line, parsed. */
    record Options(Path home, int boltPort, int httpPort, Path plugins) {

        static Options parse(String[] args) {
            Path home = Path.of(".kazgraph", "neo4j");
            int boltPort = BoltConnector.DEFAULT_PORT;
            int httpPort = HttpConnector.DEFAULT_PORT;
            Path plugins = defaultPluginsDir();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--home" -> home = Path.of(value);
                    case "--bolt-port" -> boltPort = port(name, value);
                    case "--http-port" -> httpPort = port(name, value);
                    case "--plugins" -> plugins = Path.of(value);
                    default -> throw new IllegalArgumentException(
                            "unknown option " + name
                                    + " (known: --home, --bolt-port, --http-port, --plugins)");
                }
            }
            if (boltPort == httpPort) {
                throw new IllegalArgumentException("--bolt-port and --http-port are both " + boltPort);
            }
            return new Options(home.toAbsolutePath(), boltPort, httpPort, plugins.toAbsolutePath());
        }

        private static int port(String name, String value) {
            try {
                int port = Integer.parseInt(value);
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a port number, not '" + value + "'");
        }

        /** target/plugins beside target/classes, where this class was loaded from. */
        private static Path defaultPluginsDir() {
            try {
                Path classes = Path.of(
                        LocalNeo4j.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                return classes.resolveSibling("plugins");
            } catch (URISyntaxException | SecurityException e) {
                return Path.of("target", "plugins");
            }
        }

        String boltUri() {
            return "bolt://" + HOST + ":" + boltPort;
        }

        String browserUrl() {
            return "http://" + HOST + ":" + httpPort + "/browser/";
        }
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        if (!Files.isDirectory(options.plugins())) {
            fail("plugins folder " + options.plugins() + " is missing; build with `mvn -q -B package`");
            return;
        }

        // The hook is in place before the database starts, so a SIGTERM during start-up
        // still ends in a clean shutdown.
        AtomicReference<DatabaseManagementService> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DatabaseManagementService service = running.getAndSet(null);
            if (service != null) {
                System.out.println("kazgraph-neo4j stopping");
                service.shutdown();
                System.out.println("kazgraph-neo4j stopped");
                System.out.flush();
            }
            stopped.countDown();
        }, "kazgraph-neo4j-shutdown"));

        try {
            running.set(start(options));
        } catch (RuntimeException e) {
            fail(describe(e));
            return;
        }
        System.out.println("kazgraph-neo4j ready " + options.boltUri() + " " + options.browserUrl());
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static DatabaseManagementService start(Options options) {
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(options.home())
                .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, options.boltPort()))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, true)
                .setConfig(HttpConnector.listen_address, new SocketAddress(HOST, options.httpPort()))
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.plugin_dir, options.plugins())
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"))
                // Modest memory and disk: this runs beside the tests on a small machine.
                .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                // A quick stop: the Bolt server otherwise lingers about ten seconds.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout,
                        Duration.ofSeconds(2))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time,
                        Duration.ofSeconds(2))
                // Nothing leaves the machine.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
                .setConfig(ServerSettings.allow_telemetry, false)
                .build();
        try {
            GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(READY_TIMEOUT.toMillis())) {
                throw new IllegalStateException("database '" + db.databaseName()
                        + "' was not available after " + READY_TIMEOUT.toSeconds() + " s");
            }
        } catch (RuntimeException e) {
            service.shutdown();
            throw e;
        }
        return service;
    }

    /** The exception's message and those of its causes, which name the real problem. */
    static String describe(Throwable error) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = error; t != null && parts.size() < 6; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (parts.isEmpty() || !parts.get(parts.size() - 1).contains(message)) {
                parts.add(message);
            }
        }
        return String.join(": ", parts);
    }

    private static void fail(String message) {
        PrintStream err = System.err;
        err.println("kazgraph-neo4j failed: " + message);
        err.flush();
        System.exit(1);
    }
}
