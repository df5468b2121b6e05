package io.passk.policy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The GPU a Spark task was granted becomes the policy's device only when the engine can use it. */
class DevicesTest {

    @Test
    void grantedGpuAddressIsUsedWhenTheEngineSeesThatGpu() {
        assertEquals(Device.gpu(0), Devices.choose("0", 1));
        assertEquals(Device.gpu(3), Devices.choose(" 3 ", 8));
    }

    @Test
    void noGrantOrNoEngineGpuMeansCpu() {
        assertEquals(Device.cpu(), Devices.choose(null, 8));
        assertEquals(Device.cpu(), Devices.choose("0", 0));
    }

    @Test
    void anAddressTheEngineCannotOpenFallsBackToCpu() {
        assertEquals(Device.cpu(), Devices.choose("2", 2));
        assertEquals(Device.cpu(), Devices.choose("-1", 2));
        assertEquals(Device.cpu(), Devices.choose("GPU-5b2f", 2));
    }
}
