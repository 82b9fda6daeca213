/*
 * rng.h - deterministic pseudo-random numbers for episode sampling.
 *
 * Design: "same seed, same episode, bit for bit" across machines and builds needs
 * a generator we own, not rand(). splitmix64 seeds a xoshiro256** state (both
 * public-domain algorithms by Vigna, written from their published definitions).
 * The state is a plain value: no globals, callers pass it in (grade and env never
 * reach for hidden randomness).
 */
#ifndef RG_CORE_RNG_H
#define RG_CORE_RNG_H

#include <stdint.h>

typedef struct rg_rng {
	uint64_t s[4];
} rg_rng;

void rg_rng_seed(rg_rng *r, uint64_t seed);
uint64_t rg_rng_next(rg_rng *r);
/* Uniform integer in [0, n), unbiased (rejection sampling); n > 0. */
uint64_t rg_rng_below(rg_rng *r, uint64_t n);

#endif
