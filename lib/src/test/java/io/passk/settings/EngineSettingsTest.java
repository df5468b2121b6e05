package io.passk.settings;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineSettingsTest {

    @Test
    void djlOfflineIsOnByDefaultAndParsesTrueOrFalseOnly() {
        assertTrue(EngineSettings.DJL_OFFLINE.defaultValue());
        assertTrue(EngineSettings.parse(" TRUE "));
        assertFalse(EngineSettings.parse("false"));
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> EngineSettings.parse("yes"));
        assertEquals(EngineSettings.DJL_OFFLINE, e.settings().get(0));
        assertTrue(e.getMessage().contains("yes"), e.getMessage());
    }

    @Test
    void aValueOnTheJvmCommandLineWinsOverTheDriversAndAnUnsetOneTakesIt() {
        String old = System.getProperty(EngineSettings.PROPERTY);
        try {
            System.setProperty(EngineSettings.PROPERTY, "true");
            assertTrue(EngineSettings.applyIfUnset(false), "set on the command line: kept");
            System.clearProperty(EngineSettings.PROPERTY);
            assertTrue(EngineSettings.djlOffline(), "unset: the default");
            assertFalse(EngineSettings.applyIfUnset(false), "unset: the driver's value");
            assertEquals("false", System.getProperty(EngineSettings.PROPERTY));
        } finally {
            if (old == null) {
                System.clearProperty(EngineSettings.PROPERTY);
            } else {
                System.setProperty(EngineSettings.PROPERTY, old);
            }
        }
    }
}
