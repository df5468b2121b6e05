package io.passk.policy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DevicesTest {

    @Test
    void sparkGpuAddressIsUsedOnlyWhenTheEngineHasThatGpu() {
        assertEquals(Device.gpu(1), Devices.choose("1", 2));
        assertEquals(Device.cpu(), Devices.choose("1", 0), "no GPU engine: CPU fallback");
        assertEquals(Device.cpu(), Devices.choose("3", 2), "address beyond the visible GPUs");
        assertEquals(Device.cpu(), Devices.choose("gpu-x", 2), "unparseable address");
        assertEquals(Device.cpu(), Devices.choose(null, 4), "Spark granted no GPU");
    }

    @Test
    void outsideASparkTaskTheDeviceIsTheCpuHere() {
        assertEquals(Device.cpu(), Devices.forCurrentTask());
    }
}
