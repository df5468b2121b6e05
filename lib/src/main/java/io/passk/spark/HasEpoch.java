package io.passk.spark;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * Shared param {@code epoch} (int, &ge; 0, the type of the rollout schema's {@code epoch}
 * column): the training epoch, a coordinate of every random choice; 0 for evaluation.
 */
public interface HasEpoch extends Params {

    IntParam epoch();

    default int getEpoch() {
        return (Integer) getOrDefault(epoch());
    }

    static IntParam epochParam(Params owner) {
        return new IntParam(owner, "epoch", "training epoch (>= 0; 0 for evaluation), a coordinate of every random "
                + "choice", ParamValidators.gtEq(0));
    }
}
