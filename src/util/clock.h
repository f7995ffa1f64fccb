/*
 * clock.h - the two clocks borch-db reads: monotonic milliseconds for
 * durations, and UTC wall time for the records people read.
 */
#ifndef BORCH_CLOCK_H
#define BORCH_CLOCK_H

#include <stddef.h>

/* Milliseconds from a monotonic clock: for durations only. */
long long borch_clock_ms(void);
/* UTC now as RFC 3339 to the second ("2026-11-26T08:01:17Z"); buf of at least 21 bytes. */
const char *borch_clock_utc(char *buf, size_t n);

#endif
