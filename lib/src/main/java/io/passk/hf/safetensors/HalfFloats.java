package io.passk.hf.safetensors;

/**
 * Conversions between F32 and the two 16-bit float formats of Hugging Face checkpoints.
 * Widening (BF16 or F16 to F32) is exact for every bit pattern: zeros, subnormals, infinities
 * and NaNs (payload kept). Narrowing rounds to nearest, ties to even, as PyTorch and NumPy do;
 * a NaN stays a NaN with its sign and the top bits of its payload (PyTorch 1.13 writes 0x7FC0
 * or 0xFFFF depending on its code path), so widening then narrowing gives back every 16-bit
 * pattern.
 */
public final class HalfFloats {

    private HalfFloats() {
    }

    /** BF16 is the top half of an F32: widening is a shift. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** F32 to BF16, round to nearest even; overflow gives infinity. */
    public static short floatToBf16(float value) {
        int x = Float.floatToRawIntBits(value);
        if ((x & 0x7fffffff) > 0x7f800000) {
            int h = x >>> 16;
            // truncation keeps the NaN unless its payload lay only in the dropped bits
            return (short) ((h & 0x7f) == 0 ? h | 0x40 : h);
        }
        int lsb = (x >>> 16) & 1;
        return (short) ((x + 0x7fff + lsb) >>> 16);
    }

    /** IEEE 754 binary16 to F32, exact (subnormals are mant * 2^-24). */
    public static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // exact: mant < 2^10
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** F32 to IEEE 754 binary16, round to nearest even, including into subnormals and to infinity. */
    public static short floatToF16(float value) {
        int x = Float.floatToRawIntBits(value);
        int sign = (x >>> 16) & 0x8000;
        int ax = x & 0x7fffffff;
        if (ax > 0x7f800000) {
            int m = (ax >>> 13) & 0x3ff;
            return (short) (sign | 0x7c00 | (m == 0 ? 0x200 : m));
        }
        if (ax >= 0x477ff000) { // 65520 = half-way from 65504 (odd mantissa) to 2^16: ties up to infinity
            return (short) (sign | 0x7c00);
        }
        if (ax >= 0x38800000) { // 2^-14 and above: normal binary16
            int half = (((ax >>> 23) - 112) << 10) | ((ax >>> 13) & 0x3ff);
            int rest = ax & 0x1fff;
            if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
                half++; // a carry into the exponent is the correct next value
            }
            return (short) (sign | half);
        }
        if (ax <= 0x33000000) { // at most 2^-25, half the smallest subnormal: ties to even give zero
            return (short) sign;
        }
        int shift = -((ax >>> 23) - 127) - 1; // 14..24: the value in units of 2^-24 is mant >> shift
        int mant = (ax & 0x7fffff) | 0x800000;
        int q = mant >>> shift;
        int rest = mant & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (q & 1) == 1)) {
            q++;
        }
        return (short) (sign | q);
    }
}
