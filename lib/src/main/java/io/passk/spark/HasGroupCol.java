package io.passk.spark;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Shared param {@code groupCol} (string): the column whose equal values form one problem's
 * group of samples; stages default it to {@link io.passk.Columns#PROBLEM_ID}.
 */
public interface HasGroupCol extends Params {

    Param<String> groupCol();

    default String getGroupCol() {
        return getOrDefault(groupCol());
    }

    static Param<String> groupColParam(Params owner) {
        return new Param<>(owner, "groupCol", "column identifying a problem (its group of samples)");
    }
}
