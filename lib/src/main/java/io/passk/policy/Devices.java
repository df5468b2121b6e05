package io.passk.policy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Which device a Spark task runs the policy on: the GPU Spark assigned to the task (resource
 * {@code gpu}, its first address) when there is one and the engine sees GPUs; else the CPU.
 */
public final class Devices {
    private static final Logger LOG = LoggerFactory.getLogger(Devices.class);

    private Devices() {
    }

    /** The device for the current Spark task (CPU outside a task); logs the choice and why. */
    public static Device forCurrentTask() {
        TaskContext tc = TaskContext.get();
        String address = null;
        if (tc != null) {
            Map<String, ResourceInformation> res = tc.resourcesJMap();
            ResourceInformation gpu = res == null ? null : res.get("gpu");
            if (gpu != null && gpu.addresses().length > 0) {
                address = gpu.addresses()[0];
            }
        }
        int engineGpus = Engine.getInstance().getGpuCount();
        Device d = choose(address, engineGpus);
        String task = tc == null ? "driver" : "stage " + tc.stageId() + " partition " + tc.partitionId();
        if (address == null) {
            LOG.info("policy device for {}: {} (Spark granted no GPU)", task, d);
        } else if (d.isGpu()) {
            LOG.info("policy device for {}: {} (Spark GPU address {})", task, d, address);
        } else {
            LOG.warn("policy device for {}: {} (Spark GPU address {} but the engine sees {} GPUs)",
                    task, d, address, engineGpus);
        }
        return d;
    }

    /**
     * The device of the driver's learner: the first GPU address Spark granted the driver
     * ({@code spark.driver.resource.gpu.amount} with a discovery script or addresses) when the
     * engine sees GPUs, else the CPU; logs the choice and why.
     */
    public static Device forDriver(org.apache.spark.SparkContext sc) {
        String address = null;
        scala.Option<ResourceInformation> gpu = sc.resources().get("gpu");
        if (gpu.isDefined() && gpu.get().addresses().length > 0) {
            address = gpu.get().addresses()[0];
        }
        int engineGpus = address == null ? 0 : Engine.getInstance().getGpuCount();
        Device d = choose(address, engineGpus);
        if (address == null) {
            LOG.info("learner device on the driver: {} (Spark granted the driver no GPU)", d);
        } else if (d.isGpu()) {
            LOG.info("learner device on the driver: {} (Spark GPU address {})", d, address);
        } else {
            LOG.warn("learner device on the driver: {} (Spark GPU address {} but the engine sees {} GPUs)",
                    d, address, engineGpus);
        }
        return d;
    }

    /** GPU {@code address} if it parses and the engine has GPUs, else the CPU. */
    static Device choose(String address, int engineGpus) {
        if (address == null || engineGpus <= 0) {
            return Device.cpu();
        }
        try {
            int id = Integer.parseInt(address.trim());
            return id >= 0 && id < engineGpus ? Device.gpu(id) : Device.cpu();
        } catch (NumberFormatException e) {
            return Device.cpu();
        }
    }
}
