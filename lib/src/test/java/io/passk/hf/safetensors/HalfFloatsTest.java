package io.passk.hf.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    @Test
    void everyBf16PatternWidensAndNarrowsBackToItself() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.bf16ToFloat((short) bits);
            assertEquals(bits, HalfFloats.floatToBf16(f) & 0xffff, () -> Integer.toHexString(f2b(f)));
        }
    }

    @Test
    void everyF16PatternWidensAndNarrowsBackToItself() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.f16ToFloat((short) bits);
            int pattern = bits;
            assertEquals(bits, HalfFloats.floatToF16(f) & 0xffff, () -> "pattern " + Integer.toHexString(pattern));
        }
    }

    @Test
    void f16WideningIsExactForSubnormalsInfinitiesAndNaN() {
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(1023 * 0x1p-24f, HalfFloats.f16ToFloat((short) 0x03ff));
        assertEquals(0x1p-14f, HalfFloats.f16ToFloat((short) 0x0400));
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7bff));
        assertEquals(-0f, HalfFloats.f16ToFloat((short) 0x8000));
        assertEquals(0x80000000, f2b(HalfFloats.f16ToFloat((short) 0x8000)));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.f16ToFloat((short) 0x7c00));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.f16ToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0x7e00)));
        assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3f80));
    }

    /**
     * Exhaustive rounding check: for every pair of adjacent finite 16-bit values, their midpoint
     * (exact in F32) goes to the one with the even pattern, and the F32 values just inside the
     * midpoint go to the nearer one.
     */
    @Test
    void narrowingRoundsToNearestWithTiesToEvenAtEveryMidpoint() {
        for (int sign = 0; sign <= 0x8000; sign += 0x8000) {
            for (int h = 0; h < 0x7bff; h++) {
                checkMidpoint(sign | h, HalfFloats.f16ToFloat((short) (sign | h)),
                        HalfFloats.f16ToFloat((short) (sign | (h + 1))), true);
            }
            for (int h = 0; h < 0x7f7f; h++) {
                checkMidpoint(sign | h, HalfFloats.bf16ToFloat((short) (sign | h)),
                        HalfFloats.bf16ToFloat((short) (sign | (h + 1))), false);
            }
        }
    }

    private static void checkMidpoint(int low, float a, float b, boolean f16) {
        float mid = (float) (((double) a + b) / 2);
        assertEquals((double) a + b, 2.0 * mid, () -> "midpoint of " + a + " and " + b + " is not exact in F32");
        int even = (low & 1) == 0 ? low : low + 1;
        assertEquals(even, narrow(mid, f16), () -> "tie at " + mid);
        float towardA = Math.abs(a) < Math.abs(b) ? Math.nextDown(Math.abs(mid)) : Math.nextUp(Math.abs(mid));
        float towardB = Math.abs(a) < Math.abs(b) ? Math.nextUp(Math.abs(mid)) : Math.nextDown(Math.abs(mid));
        float sign = Math.copySign(1f, mid);
        assertEquals(low, narrow(sign * towardA, f16), () -> "just inside " + mid + " toward " + a);
        assertEquals(low + 1, narrow(sign * towardB, f16), () -> "just inside " + mid + " toward " + b);
    }

    @Test
    void narrowingOverflowsToInfinityAndKeepsNaN() {
        assertEquals(0x7bff, HalfFloats.floatToF16(65519.996f) & 0xffff);
        assertEquals(0x7c00, HalfFloats.floatToF16(65520f) & 0xffff);
        assertEquals(0xfc00, HalfFloats.floatToF16(-1e10f) & 0xffff);
        assertEquals(0x7f80, HalfFloats.floatToBf16(Float.MAX_VALUE) & 0xffff);
        assertEquals(0x0000, HalfFloats.floatToF16(0x1p-25f) & 0xffff);
        assertEquals(0x0001, HalfFloats.floatToF16(Math.nextUp(0x1p-25f)) & 0xffff);
        assertEquals(0x8000, HalfFloats.floatToF16(-Float.MIN_VALUE) & 0xffff);
        // a NaN whose payload lies only in the low bits stays a NaN, not an infinity
        float lowPayloadNaN = Float.intBitsToFloat(0x7f800001);
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(lowPayloadNaN))));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(lowPayloadNaN))));
        assertEquals(0x7fc0, HalfFloats.floatToBf16(Float.NaN) & 0xffff);
        assertEquals(0x7e00, HalfFloats.floatToF16(Float.NaN) & 0xffff);
    }

    private static int narrow(float f, boolean f16) {
        return (f16 ? HalfFloats.floatToF16(f) : HalfFloats.floatToBf16(f)) & 0xffff;
    }

    private static int f2b(float f) {
        return Float.floatToRawIntBits(f);
    }
}
