package io.passk.spark;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/** Shared param {@code k} (int, &ge; 1): the k of pass@k, samples per group. */
public interface HasK extends Params {

    IntParam k();

    default int getK() {
        return (Integer) getOrDefault(k());
    }

    static IntParam kParam(Params owner) {
        return new IntParam(owner, "k", "the k of pass@k: samples per group (>= 1)", ParamValidators.gtEq(1));
    }
}
