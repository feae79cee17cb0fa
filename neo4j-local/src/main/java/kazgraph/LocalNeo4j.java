package kazgraph;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * tests. Bolt and HTTP listen on 127.0.0.1 only; authentication is off unless {@code --auth}.
 *
 * <pre>
 * java @jvm.args -cp 'target/V/classes:target/V/lib/*' kazgraph.LocalNeo4j \
 *     [--home DIR] [--bolt-port N] [--http-port N] [--plugins DIR] [--auth]
 * </pre>
 *
 * <p>What a query may reach is limited in the database itself, not by convention: LOAD CSV may
 * not read local files ({@code dbms.security.allow_csv_import_from_file_urls=false}); only the
 * APOC namespaces in {@link #APOC_ALLOWED} are loaded, none of which reads files or URLs or runs
 * Cypher text ({@code dbms.security.procedures.allowlist}); and the HTTP API answers
 * cross-origin requests for its own origin only
 * ({@code dbms.security.http_access_control_allow_origin}). {@code docker-compose.yml} carries
 * the same settings.
 *
 * <p>With {@code --auth}, authentication is on and user {@code neo4j} gets the password in the
 * environment variable {@code NEO4J_PASSWORD} (never on the command line, never printed). The
 * password is set before Bolt or HTTP open: the database is first started with both connectors
 * off, the password set through the system database, and the database stopped again.
 *
 * <p>{@code --home} holds the graph ({@code data/}) and Neo4j's own logs ({@code logs/}); it is
 * kept between runs. APOC core is registered the way a Neo4j server does it: its jars are on the
 * classpath (for its extension factories, found by ServiceLoader) and in the plugins folder
 * ({@code server.directories.plugins}, which is the only place the procedure loader looks), with
 * the allowed namespaces unrestricted. {@code --plugins} defaults to {@code plugins} beside the
 * classes folder, where the build copies the APOC jars (a calendar-release build has none: APOC
 * is not on Maven Central for those). When the database is ready one
 * line goes to stdout:
 * {@code kazgraph-neo4j ready bolt://127.0.0.1:7687 http://127.0.0.1:7474/browser/}. SIGTERM or
 * SIGINT shuts the database down cleanly; a failure to start prints {@code kazgraph-neo4j failed:}
 * with the reason on stderr and exits with status 1.
 */
public final class LocalNeo4j {

    static final String HOST = "127.0.0.1";
    static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    static final String PASSWORD_VARIABLE = "NEO4J_PASSWORD";

    /**
     * APOC namespaces that are loaded: pure functions over values, and procedures that read or
     * change the graph the way Cypher could. Left out on purpose: apoc.load.*, apoc.import.*,
     * apoc.export.* (files and URLs), apoc.cypher.*, apoc.do.*, apoc.periodic.*,
     * apoc.trigger.* (Cypher text run later or elsewhere), apoc.log.*, apoc.spatial.*
     * (a geocoding web service), apoc.systemdb.*, apoc.warmup.*.
     */
    static final List<String> APOC_ALLOWED = List.of(
            "apoc.version", "apoc.help", "apoc.case", "apoc.when",
            "apoc.agg.*", "apoc.algo.*", "apoc.any.*", "apoc.atomic.*", "apoc.bitwise.*",
            "apoc.coll.*", "apoc.convert.*", "apoc.create.*", "apoc.date.*", "apoc.diff.*",
            "apoc.hashing.*", "apoc.json.*", "apoc.label.*", "apoc.lock.*", "apoc.map.*",
            "apoc.math.*", "apoc.merge.*", "apoc.meta.*", "apoc.neighbors.*", "apoc.node.*",
            "apoc.nodes.*", "apoc.number.*", "apoc.path.*", "apoc.refactor.*", "apoc.rel.*",
            "apoc.schema.*", "apoc.scoring.*", "apoc.search.*", "apoc.stats.*",
            "apoc.temporal.*", "apoc.text.*", "apoc.util.*");

    private LocalNeo4j() {}

    /** The command line, parsed. */
    record Options(Path home, int boltPort, int httpPort, Path plugins, boolean auth) {

        static Options parse(String[] args) {
            Path home = Path.of(".kazgraph", "neo4j");
            int boltPort = BoltConnector.DEFAULT_PORT;
            int httpPort = HttpConnector.DEFAULT_PORT;
            Path plugins = defaultPluginsDir();
            boolean auth = false;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--auth")) {
                    auth = true;
                    continue;
                }
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
                                    + " (known: --home, --bolt-port, --http-port, --plugins, --auth)");
                }
            }
            if (boltPort == httpPort) {
                throw new IllegalArgumentException("--bolt-port and --http-port are both " + boltPort);
            }
            return new Options(
                    home.toAbsolutePath(), boltPort, httpPort, plugins.toAbsolutePath(), auth);
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

        String httpOrigin() {
            return "http://" + HOST + ":" + httpPort;
        }

        String browserUrl() {
            return httpOrigin() + "/browser/";
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
            if (options.auth()) {
                setPassword(options, password());
            }
            running.set(start(options, true));
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

    /** The password for user neo4j, from the environment; refuse when it is unset. */
    static String password() {
        String password = System.getenv(PASSWORD_VARIABLE);
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException(
                    "--auth needs the password of user neo4j in " + PASSWORD_VARIABLE);
        }
        return password;
    }

    /**
     * Give user neo4j {@code password}, with Bolt and HTTP closed, so nobody can log in with the
     * default password meanwhile. It goes through a temporary password first: Neo4j refuses to
     * set the password a user already has.
     */
    static void setPassword(Options options, String password) {
        DatabaseManagementService service = start(options, false);
        try {
            GraphDatabaseService system = service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            String change = "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED";
            system.executeTransactionally(
                    change, Map.of("password", "kazgraph-" + UUID.randomUUID()));
            system.executeTransactionally(change, Map.of("password", password));
        } finally {
            service.shutdown();
        }
    }

    /** Start the DBMS; with {@code connectors} false, Bolt and HTTP stay closed. */
    static DatabaseManagementService start(Options options, boolean connectors) {
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(options.home())
                .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST))
                .setConfig(BoltConnector.enabled, connectors)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, options.boltPort()))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, connectors)
                .setConfig(HttpConnector.listen_address, new SocketAddress(HOST, options.httpPort()))
                .setConfig(HttpConnector.advertised_address,
                        new SocketAddress(HOST, options.httpPort()))
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, options.auth())
                // What a query may reach: no local files, no APOC that reads files or URLs or
                // runs Cypher text, and cross-origin HTTP for the runner's own origin only.
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                .setConfig(GraphDatabaseSettings.plugin_dir, options.plugins())
                .setConfig(GraphDatabaseSettings.procedure_allowlist, APOC_ALLOWED)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, APOC_ALLOWED)
                .setConfig(ServerSettings.http_access_control_allow_origin, options.httpOrigin())
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
