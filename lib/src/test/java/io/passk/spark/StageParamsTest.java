package io.passk.spark;

import io.passk.advantage.spark.PassAtKAdvantage;
import io.passk.eval.PassAtKEvaluator;
import io.passk.rollout.RolloutGenerator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The three passk stages share params by name and type, and each has getters and load(). */
class StageParamsTest {

    private static final List<Params> STAGES = List.of(new RolloutGenerator(), new PassAtKAdvantage(),
            new PassAtKEvaluator());

    @Test
    void aParamNameMeansTheSameParamTypeAndDocInEveryStage() {
        Map<String, Param<?>> seen = new HashMap<>();
        Map<String, String> owner = new HashMap<>();
        for (Params stage : STAGES) {
            for (Param<?> p : stage.params()) {
                Param<?> first = seen.putIfAbsent(p.name(), p);
                if (first == null) {
                    owner.put(p.name(), stage.getClass().getSimpleName());
                    continue;
                }
                String where = p.name() + " in " + stage.getClass().getSimpleName() + " and " + owner.get(p.name());
                assertEquals(first.getClass(), p.getClass(), where);
                assertEquals(first.doc(), p.doc(), where);
            }
        }
        // the params the brief named as shared really are shared
        for (String name : List.of("seed", "epoch", "k", "groupCol")) {
            assertTrue(seen.containsKey(name), name);
        }
    }

    @Test
    void everyParamOfEveryStageHasAGetterReturningItsValue() throws Exception {
        for (Params stage : STAGES) {
            for (Param<?> p : stage.params()) {
                String getter = "get" + p.name().substring(0, 1).toUpperCase(Locale.ROOT) + p.name().substring(1);
                Method m;
                try {
                    m = stage.getClass().getMethod(getter);
                } catch (NoSuchMethodException e) {
                    fail(stage.getClass().getSimpleName() + " has no " + getter + "()");
                    return;
                }
                if (stage.isDefined(p)) {
                    assertEquals(stage.getOrDefault(p), m.invoke(stage), stage.getClass().getSimpleName() + "." + getter);
                }
            }
        }
    }

    @Test
    void everyStageHasStaticReadAndLoad() throws Exception {
        for (Params stage : STAGES) {
            Method load = stage.getClass().getMethod("load", String.class);
            Method read = stage.getClass().getMethod("read");
            assertTrue(Modifier.isStatic(load.getModifiers()) && Modifier.isStatic(read.getModifiers()),
                    stage.getClass().getSimpleName());
            assertEquals(stage.getClass(), load.getReturnType(), stage.getClass().getSimpleName());
        }
    }
}
