package io.passk.cli;

import io.passk.rollout.server.RolloutConfig;
import io.passk.settings.RolloutSettings;
import picocli.CommandLine.Option;

/**
 * {@code --rollout-engine --rollout-server --rollout-server-command --rollout-model} and the
 * server tuning options (train, sample): where rollouts are sampled ({@link RolloutSettings},
 * {@link RolloutConfig}). {@code --rollout-server} or {@code --rollout-server-command} alone
 * imply {@code --rollout-engine server}.
 */
final class RolloutServerOptions {

    @Option(names = "--rollout-engine", description = "djl (passk's in-JVM decoder) | server (OpenAI-compatible"
            + " inference servers speaking vLLM's /v1/completions) (default: djl, or server when a server is given)")
    String engine;

    @Option(names = "--rollout-server", paramLabel = "URL[,URL...]", description = "base URLs of running servers;"
            + " each task starts on its partition's and fails over to the others")
    String servers = RolloutSettings.SERVER.defaultValue();

    @Option(names = "--rollout-server-command", paramLabel = "TEMPLATE", description = "command that starts one"
            + " server per executor JVM: {model} {port} {gpu} are filled in, e.g. 'vllm serve {model} --port {port}"
            + " --enable-lora'")
    String command = RolloutSettings.SERVER_COMMAND.defaultValue();

    @Option(names = "--rollout-model", paramLabel = "NAME", description = "the served model's name (default: the"
            + " base model of GET /v1/models)")
    String model = RolloutSettings.MODEL.defaultValue();

    @Option(names = "--rollout-concurrency", description = "requests in flight per Spark task (default: ${DEFAULT-VALUE})")
    int concurrency = RolloutSettings.CONCURRENCY.defaultValue();

    @Option(names = "--rollout-request-timeout", paramLabel = "SECONDS",
            description = "limit of one completion request (default: ${DEFAULT-VALUE})")
    int requestTimeout = RolloutSettings.REQUEST_TIMEOUT.defaultValue();

    @Option(names = "--rollout-health-timeout", paramLabel = "SECONDS",
            description = "time a started server has to answer GET /health (default: ${DEFAULT-VALUE})")
    int healthTimeout = RolloutSettings.HEALTH_TIMEOUT.defaultValue();

    @Option(names = "--rollout-retries", description = "retries on connection errors and 5xx, with backoff"
            + " (default: ${DEFAULT-VALUE})")
    int retries = RolloutSettings.RETRIES.defaultValue();

    @Option(names = "--rollout-is-cap", paramLabel = "C", description = "train: cap C of the truncated importance"
            + " weight min(pi_learner_old / pi_rollout, C) (default: ${DEFAULT-VALUE})")
    double isCap = RolloutSettings.IS_CAP.defaultValue();

    /** The decision, checked (bad input names the setting). */
    RolloutConfig config() {
        String e = engine != null ? engine
                : (servers.isBlank() && command.isBlank() ? RolloutConfig.DJL : RolloutConfig.SERVER);
        return new RolloutConfig(e, RolloutConfig.parseServers(servers), command, model, concurrency, requestTimeout,
                healthTimeout, retries, isCap);
    }

    /** The flag of a rollout setting (for {@link SettingFlags}). */
    static String flag(io.passk.settings.Setting<?> s) {
        if (s == RolloutSettings.ENGINE) return "--rollout-engine";
        if (s == RolloutSettings.SERVER) return "--rollout-server";
        if (s == RolloutSettings.SERVER_COMMAND) return "--rollout-server-command";
        if (s == RolloutSettings.MODEL) return "--rollout-model";
        if (s == RolloutSettings.CONCURRENCY) return "--rollout-concurrency";
        if (s == RolloutSettings.REQUEST_TIMEOUT) return "--rollout-request-timeout";
        if (s == RolloutSettings.HEALTH_TIMEOUT) return "--rollout-health-timeout";
        if (s == RolloutSettings.RETRIES) return "--rollout-retries";
        if (s == RolloutSettings.IS_CAP) return "--rollout-is-cap";
        return null;
    }
}
