package io.passk.rollout.server;

import io.passk.settings.InvalidSettingException;
import io.passk.settings.RolloutSettings;

import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a run's rollouts are sampled ({@link RolloutSettings}), decided once at the edge and
 * passed down to the rollout tasks.
 *
 * @param engine            {@link #DJL} or {@link #SERVER}
 * @param servers           base URLs of external servers (empty: none)
 * @param serverCommand     template of a managed server's command, {@code {model}}, {@code {port}},
 *                          {@code {gpu}} filled in ("" : none)
 * @param model             the served model's name ("" : the base of {@code GET /v1/models})
 * @param concurrency       requests in flight per Spark task
 * @param requestTimeoutS   seconds per completion request
 * @param healthTimeoutS    seconds a managed server has to become healthy
 * @param retries           attempts after the first on connection errors and 5xx
 * @param isCap             C of the truncated importance weights
 */
public record RolloutConfig(String engine, List<String> servers, String serverCommand, String model,
                            int concurrency, int requestTimeoutS, int healthTimeoutS, int retries, double isCap)
        implements Serializable {

    public static final String DJL = "djl";
    public static final String SERVER = "server";

    public RolloutConfig {
        engine = engine.trim().toLowerCase(Locale.ROOT);
        if (!engine.equals(DJL) && !engine.equals(SERVER)) {
            throw InvalidSettingException.of(RolloutSettings.ENGINE, "must be djl or server, got '" + engine + "'");
        }
        servers = List.copyOf(servers);
        for (String url : servers) {
            checkUrl(url);
        }
        serverCommand = serverCommand == null ? "" : serverCommand.trim();
        model = model == null ? "" : model.trim();
        if (engine.equals(SERVER) && servers.isEmpty() == serverCommand.isEmpty()) {
            throw new InvalidSettingException("{} server needs exactly one of {} and {}", RolloutSettings.ENGINE,
                    RolloutSettings.SERVER, RolloutSettings.SERVER_COMMAND);
        }
        if (engine.equals(DJL) && (!servers.isEmpty() || !serverCommand.isEmpty())) {
            throw new InvalidSettingException("{} and {} need {} server", RolloutSettings.SERVER,
                    RolloutSettings.SERVER_COMMAND, RolloutSettings.ENGINE);
        }
        if (!serverCommand.isEmpty() && !serverCommand.contains("{port}")) {
            throw InvalidSettingException.of(RolloutSettings.SERVER_COMMAND,
                    "must contain {port} (the server is started on a free loopback port), got '" + serverCommand + "'");
        }
        if (concurrency < 1) {
            throw InvalidSettingException.of(RolloutSettings.CONCURRENCY, "must be >= 1, got " + concurrency);
        }
        if (requestTimeoutS < 1) {
            throw InvalidSettingException.of(RolloutSettings.REQUEST_TIMEOUT, "must be >= 1, got " + requestTimeoutS);
        }
        if (healthTimeoutS < 1) {
            throw InvalidSettingException.of(RolloutSettings.HEALTH_TIMEOUT, "must be >= 1, got " + healthTimeoutS);
        }
        if (retries < 0) {
            throw InvalidSettingException.of(RolloutSettings.RETRIES, "must be >= 0, got " + retries);
        }
        if (!(isCap >= 1) || Double.isInfinite(isCap)) {
            throw InvalidSettingException.of(RolloutSettings.IS_CAP, "must be finite and >= 1, got " + isCap);
        }
    }

    /** The in-JVM decoder with every server setting at its default. */
    public static RolloutConfig djl() {
        return new RolloutConfig(DJL, List.of(), "", "", RolloutSettings.CONCURRENCY.defaultValue(),
                RolloutSettings.REQUEST_TIMEOUT.defaultValue(), RolloutSettings.HEALTH_TIMEOUT.defaultValue(),
                RolloutSettings.RETRIES.defaultValue(), RolloutSettings.IS_CAP.defaultValue());
    }

    /** True when rollouts come from inference servers. */
    public boolean isServer() {
        return engine.equals(SERVER);
    }

    /** True when each executor starts its own server ({@link #serverCommand}). */
    public boolean isManaged() {
        return !serverCommand.isEmpty();
    }

    /** A comma-separated URL list as {@link #servers} ("" : none), each checked. */
    public static List<String> parseServers(String csv) {
        List<String> out = new ArrayList<>();
        if (csv == null || csv.isBlank()) {
            return out;
        }
        for (String part : csv.split(",")) {
            String url = part.trim();
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            if (!url.isEmpty()) {
                out.add(checkUrl(url));
            }
        }
        return out;
    }

    private static String checkUrl(String url) {
        try {
            URI u = URI.create(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw InvalidSettingException.of(RolloutSettings.SERVER, "expects http(s)://host[:port] URLs, got '"
                        + url + "'");
            }
        } catch (IllegalArgumentException e) {
            throw InvalidSettingException.of(RolloutSettings.SERVER, "expects http(s)://host[:port] URLs, got '"
                    + url + "'");
        }
        return url;
    }
}
