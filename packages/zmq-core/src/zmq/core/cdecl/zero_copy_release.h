/* SPDX-License-Identifier: BSD-3-Clause
 *
 * Bookkeeping of the buffers libzmq shares with Python (zero-copy messages),
 * kept in C so that libzmq's free callback never waits for the GIL.
 *
 * libzmq calls the free callback from whichever thread drops a message last,
 * often one of its I/O threads. Taking the GIL there would stall every
 * socket's I/O behind any busy Python thread, so the callback only moves the
 * message's node from the "live" list to the "released" list and counts its
 * tracker down, under a mutex that nobody holds for more than a few
 * pointer updates. Python references are dropped later, by a thread that
 * holds the GIL anyway (the next zero-copy send, a tracker check, or the
 * reaper thread that waits on `released_cond`).
 *
 * The reaper is a C thread (zmq.core.zerocopy starts it with the first
 * zero-copy send, which must stay cheap: no Python import, no thread
 * object, no hand-over of the GIL). It needs the GIL only to drop
 * references, and takes it only when released buffers stayed undrained
 * for a while: a program that keeps sending drains them itself, and is
 * never interrupted by it.
 *
 * The state below is static: this header is compiled into one extension,
 * zmq.core.zerocopy, and every other module goes through that module's C
 * functions (zerocopy.pxd). A tracker's counter is read with an atomic load
 * (zerocopy.pxd's _pending_count), which needs none of this state.
 */
#ifndef ZMQ_STACK_ZERO_COPY_RELEASE_H
#define ZMQ_STACK_ZERO_COPY_RELEASE_H

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

typedef struct zs_node {
    struct zs_node *prev, *next;   /* in the live list while libzmq holds it */
    struct zs_node *released_next; /* in the released list afterwards */
    uint64_t id;
    int *pending;                  /* the tracker's counter, or NULL */
    int readonly;                  /* shares a read-only buffer (zs_readonly_live) */
} zs_node;

static pthread_mutex_t zs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t zs_released_cond;  /* the reaper waits on it */
static pthread_cond_t zs_tracker_cond;   /* tracker.wait() waits on it */
static pthread_cond_t zs_reaper_cond;    /* a reaper starting or ending */
static zs_node zs_live = {&zs_live, &zs_live, NULL, 0, NULL, 0};
static zs_node *zs_released = NULL;
static uint64_t zs_next_id = 1;
static long zs_live_count = 0;
/* live nodes with `readonly` set: while 0, a receiver need not look for the
   object it may share (read without the lock) */
static long zs_readonly_live = 0;
static int zs_tracker_waiters = 0;
static int zs_reaper_waiting = 0;
static int zs_stopping = 0;
/* set once this process has started its reaper thread (not inherited) */
static int zs_reaper_started = 0;
/* reaper threads running (one, or briefly two after a stop that timed out
 * and a new start), which one was started last, and its native thread id
 * once it runs (0 before) */
static int zs_reapers = 0;
static unsigned long zs_reaper_incarnation = 0;
static unsigned long zs_reaper_native_id = 0;
/* how long released buffers stay undrained before the reaper takes the
 * GIL to drop them */
#define ZS_REAPER_QUIET_MS 2
/* moved by every drain that took something (zs_take_released) */
static uint64_t zs_drains = 0;
/* moves with every hold and release, so that what zmq.utils.garbage derives
 * from the live list is rebuilt only when the list changed; written under
 * zs_lock, read without it */
static uint64_t zs_generation = 0;

static void zs_prepare_fork(void) { pthread_mutex_lock(&zs_lock); }
static void zs_after_fork_parent(void) { pthread_mutex_unlock(&zs_lock); }

static void zs_init_conds(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&zs_released_cond, &attr);
    pthread_cond_init(&zs_tracker_cond, &attr);
    pthread_cond_init(&zs_reaper_cond, &attr);
    pthread_condattr_destroy(&attr);
}

static void zs_after_fork_child(void)
{
    /* the child has one thread: no reaper, no waiter; the lock is ours */
    zs_tracker_waiters = 0;
    zs_reaper_waiting = 0;
    zs_reaper_started = 0;
    zs_reapers = 0;
    zs_reaper_native_id = 0;
    zs_init_conds();
    pthread_mutex_init(&zs_lock, NULL);
}

static void zs_init(void)
{
    zs_init_conds();
    pthread_atfork(zs_prepare_fork, zs_after_fork_parent, zs_after_fork_child);
}

/* With the GIL: libzmq now holds the message of `node`. */
static inline void zs_hold(zs_node *node, int *pending, int readonly)
{
    pthread_mutex_lock(&zs_lock);
    node->id = zs_next_id++;
    node->pending = pending;
    node->readonly = readonly;
    if (readonly)
        __atomic_store_n(&zs_readonly_live, zs_readonly_live + 1, __ATOMIC_RELAXED);
    node->released_next = NULL;
    if (pending != NULL)
        (*pending)++;
    node->next = &zs_live;
    node->prev = zs_live.prev;
    zs_live.prev->next = node;
    zs_live.prev = node;
    zs_live_count++;
    __atomic_store_n(&zs_generation, zs_generation + 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&zs_lock);
}

/* Any thread, no GIL needed: libzmq is done with the message of `node`. */
static inline void zs_release(zs_node *node)
{
    int was_empty;
    pthread_mutex_lock(&zs_lock);
    node->prev->next = node->next;
    node->next->prev = node->prev;
    zs_live_count--;
    if (node->readonly)
        __atomic_store_n(&zs_readonly_live, zs_readonly_live - 1, __ATOMIC_RELAXED);
    __atomic_store_n(&zs_generation, zs_generation + 1, __ATOMIC_RELEASE);
    was_empty = zs_released == NULL;
    node->released_next = zs_released;
    __atomic_store_n(&zs_released, node, __ATOMIC_RELEASE);
    if (node->pending != NULL && --(*node->pending) == 0 && zs_tracker_waiters)
        pthread_cond_broadcast(&zs_tracker_cond);
    if (was_empty && zs_reaper_waiting)
        pthread_cond_signal(&zs_released_cond);
    pthread_mutex_unlock(&zs_lock);
}

/* Lock-free: the generation of the live list (see zs_generation). */
static inline uint64_t zs_current_generation(void)
{
    return __atomic_load_n(&zs_generation, __ATOMIC_ACQUIRE);
}

/* True if some live message shares a read-only buffer (lock-free). */
static inline int zs_any_readonly_live(void)
{
    return __atomic_load_n(&zs_readonly_live, __ATOMIC_RELAXED) != 0;
}

/* True if released nodes wait for their Python references to be dropped:
 * a lock-free check, cheap enough for every send. */
static inline int zs_has_released(void)
{
    return __atomic_load_n(&zs_released, __ATOMIC_RELAXED) != NULL;
}

/* With the GIL: take every released node (a singly linked list). */
static inline zs_node *zs_take_released(void)
{
    zs_node *head;
    pthread_mutex_lock(&zs_lock);
    head = zs_released;
    zs_released = NULL;
    if (head != NULL)
        zs_drains++;
    pthread_mutex_unlock(&zs_lock);
    return head;
}

static void zs_deadline_after(struct timespec *ts, long ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Without the GIL: wait up to `ms` milliseconds for *pending to reach 0;
 * returns 1 once it has. */
static int zs_wait_pending(int *pending, long ms)
{
    struct timespec deadline;
    int done;
    zs_deadline_after(&deadline, ms);
    pthread_mutex_lock(&zs_lock);
    zs_tracker_waiters++;
    while (*pending > 0) {
        if (pthread_cond_timedwait(&zs_tracker_cond, &zs_lock, &deadline) == ETIMEDOUT)
            break;
    }
    zs_tracker_waiters--;
    done = *pending <= 0;
    pthread_mutex_unlock(&zs_lock);
    return done;
}

/* Without the GIL, in a reaper: wait until released buffers stayed
 * undrained for ZS_REAPER_QUIET_MS (1: drop them, with the GIL) or
 * zs_set_stopping(1) was called (0). Buffers that some other thread drained
 * meanwhile cost the reaper nothing: an active program never hands it the
 * GIL. */
static int zs_reaper_next(void)
{
    struct timespec quiet;
    uint64_t drains;
    int drain = 0;
    pthread_mutex_lock(&zs_lock);
    while (!zs_stopping) {
        if (zs_released == NULL) {
            zs_reaper_waiting = 1;
            pthread_cond_wait(&zs_released_cond, &zs_lock);
            zs_reaper_waiting = 0;
            continue;
        }
        /* released buffers: leave them to the threads that drain on their
         * next call; only zs_set_stopping() wakes this wait early */
        drains = zs_drains;
        zs_deadline_after(&quiet, ZS_REAPER_QUIET_MS);
        while (!zs_stopping && pthread_cond_timedwait(&zs_released_cond, &zs_lock, &quiet) != ETIMEDOUT)
            ;
        if (!zs_stopping && zs_released != NULL && zs_drains == drains) {
            drain = 1;
            break;
        }
    }
    pthread_mutex_unlock(&zs_lock);
    return drain;
}

/* With the GIL: a reaper thread is about to start; returns its incarnation. */
static unsigned long zs_reaper_starting(void)
{
    unsigned long incarnation;
    pthread_mutex_lock(&zs_lock);
    zs_reapers++;
    zs_reaper_native_id = 0;
    incarnation = ++zs_reaper_incarnation;
    pthread_mutex_unlock(&zs_lock);
    return incarnation;
}

/* In the reaper thread, first thing: it runs. */
static void zs_reaper_running(unsigned long native_id)
{
    pthread_mutex_lock(&zs_lock);
    zs_reaper_native_id = native_id;
    pthread_cond_broadcast(&zs_reaper_cond);
    pthread_mutex_unlock(&zs_lock);
}

/* In the reaper thread, last thing (or for a thread that failed to start). */
static void zs_reaper_ended(void)
{
    pthread_mutex_lock(&zs_lock);
    zs_reapers--;
    pthread_cond_broadcast(&zs_reaper_cond);
    pthread_mutex_unlock(&zs_lock);
}

/* Without the GIL: wait up to `ms` for every reaper to end; 1 if they did. */
static int zs_reaper_join(long ms)
{
    struct timespec deadline;
    int done;
    zs_deadline_after(&deadline, ms);
    pthread_mutex_lock(&zs_lock);
    while (zs_reapers > 0) {
        if (pthread_cond_timedwait(&zs_reaper_cond, &zs_lock, &deadline) == ETIMEDOUT)
            break;
    }
    done = zs_reapers == 0;
    pthread_mutex_unlock(&zs_lock);
    return done;
}

/* Without the GIL: the native id of the reaper of `incarnation`, waiting up
 * to `ms` for it to run; 0 if it is not (or no longer) the latest. */
static unsigned long zs_reaper_native(unsigned long incarnation, long ms)
{
    struct timespec deadline;
    unsigned long id = 0;
    zs_deadline_after(&deadline, ms);
    pthread_mutex_lock(&zs_lock);
    while (zs_reaper_incarnation == incarnation && zs_reaper_native_id == 0 && zs_reapers > 0) {
        if (pthread_cond_timedwait(&zs_reaper_cond, &zs_lock, &deadline) == ETIMEDOUT)
            break;
    }
    if (zs_reaper_incarnation == incarnation)
        id = zs_reaper_native_id;
    pthread_mutex_unlock(&zs_lock);
    return id;
}

static void zs_set_stopping(int stopping)
{
    pthread_mutex_lock(&zs_lock);
    zs_stopping = stopping;
    pthread_cond_broadcast(&zs_released_cond);
    pthread_mutex_unlock(&zs_lock);
}

static void zs_lock_live(void) { pthread_mutex_lock(&zs_lock); }
static void zs_unlock_live(void) { pthread_mutex_unlock(&zs_lock); }

#endif
