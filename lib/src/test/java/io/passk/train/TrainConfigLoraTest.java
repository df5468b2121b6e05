package io.passk.train;

import io.passk.advantage.spark.AdvantageMix;
import io.passk.advantage.AdvantageMethod;
import io.passk.hf.peft.LoraConfig;
import io.passk.learn.LearnerConfig;
import io.passk.policy.PolicySource;
import io.passk.rollout.Sampling;
import io.passk.settings.InvalidSettingException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The LoRA block of a run's configuration: recorded only when on, so older run.json files still match. */
class TrainConfigLoraTest {

    static TrainConfig config() {
        return new TrainConfig("tasks", new PolicySource.HuggingFace(Path.of("init"), io.passk.task.PromptStyle.COMPACT), AdvantageMethod.PASSK_ANALYTIC,
                KSchedule.parse("constant", 4, 2), AdvantageMix.parse("none"), 4, 2,
                new LearnerConfig(1e-4, 0.2, 0.28, 0.0, 2, 1, 1.0, 1.0), new Sampling(8, 1.0, 16, 8),
                new TrainConfig.Heldout(2, 10, 4), 0, 7, TrainConfig.ModelFormat.DEFAULT, null);
    }

    static final List<String> KEYS_WITHOUT_LORA = List.of("tasks", "init", "method", "k", "schedule", "mix", "n",
            "prompts_per_epoch", "epochs", "lr", "clip_low", "clip_high", "kl_beta", "mini_batches", "learner_passes",
            "max_grad_norm", "temperature", "top_p", "max_new_tokens", "batch_size", "bootstrap_groups", "eval_every",
            "eval_problems", "eval_samples", "seed", "prompt_template", "save_dtype");

    @Test
    void withoutLoraTheRecordedConfigurationHasExactlyTheKeysItHadBefore() {
        assertEquals(KEYS_WITHOUT_LORA, new ArrayList<>(config().toMap().keySet()));
        assertEquals(config().toMap(), config().withLora(null).toMap());
    }

    @Test
    void withLoraItsFourSettingsAreAppended() {
        Map<String, Object> m = config().withLora(new LoraConfig(4, 8, 0.05, List.of("v_proj", "q_proj"))).toMap();
        List<String> keys = new ArrayList<>(KEYS_WITHOUT_LORA);
        keys.addAll(List.of("lora_rank", "lora_alpha", "lora_dropout", "lora_targets"));
        assertEquals(keys, new ArrayList<>(m.keySet()));
        assertEquals(4, m.get("lora_rank"));
        assertEquals(8.0, m.get("lora_alpha"));
        assertEquals(0.05, m.get("lora_dropout"));
        assertEquals("q_proj,v_proj", m.get("lora_targets"));
    }

    @Test
    void loraAdaptersAreSavedF32Only() {
        TrainConfig bf16 = config().withFormat(new TrainConfig.ModelFormat("plain", "bf16", "auto"));
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> bf16.withLora(LoraConfig.defaults(8)));
        assertEquals(List.of("save_dtype", "lora_rank"), e.settings().stream().map(Object::toString).toList());
    }
}
