package io.passk.settings;

import java.util.List;

/**
 * Where rollouts are sampled ({@code passk train} and {@code passk sample} options, an experiment
 * file's {@code training.rollout} section): passk's in-JVM DJL decoder, or OpenAI-compatible
 * inference servers speaking vLLM's {@code /v1/completions} ({@code io.passk.rollout.server}).
 * Recorded in {@code run.json} only when the engine is {@code server}, so runs on the decoder
 * keep their configuration as it was.
 */
public final class RolloutSettings {

    static final String ROLLOUT = "training.rollout";

    /** {@code djl} (the in-JVM decoder) or {@code server}. */
    public static final Setting<String> ENGINE = new Setting<>("engine", ROLLOUT, "djl");
    /** Comma-separated base URLs of servers someone else runs ("" = none). */
    public static final Setting<String> SERVER = new Setting<>("server", ROLLOUT, "");
    /** Command template that starts one server per executor JVM ("" = none). */
    public static final Setting<String> SERVER_COMMAND = new Setting<>("server_command", ROLLOUT, "");
    /** The served model's name; "" = the base model of {@code GET /v1/models}. */
    public static final Setting<String> MODEL = new Setting<>("model", ROLLOUT, "");
    /** Requests in flight per Spark task. */
    public static final Setting<Integer> CONCURRENCY = new Setting<>("concurrency", ROLLOUT, 32);
    /** Seconds one completion request may take before it is retried. */
    public static final Setting<Integer> REQUEST_TIMEOUT = new Setting<>("request_timeout_s", ROLLOUT, 600);
    /** Seconds a started server has to answer {@code GET /health}. */
    public static final Setting<Integer> HEALTH_TIMEOUT = new Setting<>("health_timeout_s", ROLLOUT, 600);
    /** Attempts after the first on a connection error or a 5xx, with exponential backoff, across the servers. */
    public static final Setting<Integer> RETRIES = new Setting<>("retries", ROLLOUT, 4);
    /** C of the truncated importance weight min(pi_learner_old / pi_rollout, C). */
    public static final Setting<Double> IS_CAP = new Setting<>("is_cap", ROLLOUT, 2.0);

    /** Every rollout setting, in {@code run.json} order. */
    public static final List<Setting<?>> ALL = List.of(ENGINE, SERVER, SERVER_COMMAND, MODEL, CONCURRENCY,
            REQUEST_TIMEOUT, HEALTH_TIMEOUT, RETRIES, IS_CAP);

    private RolloutSettings() {
    }
}
