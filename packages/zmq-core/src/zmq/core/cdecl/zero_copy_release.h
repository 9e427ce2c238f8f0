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
    pthread_condattr_destroy(&attr);
}

static void zs_after_fork_child(void)
{
    /* the child has one thread: no reaper, no waiter; the lock is ours */
    zs_tracker_waiters = 0;
    zs_reaper_waiting = 0;
    zs_reaper_started = 0;
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

/* Without the GIL, in the reaper: wait until something was released (1) or
 * zs_stop_reaper() was called (0). */
static int zs_reaper_wait(void)
{
    int go_on;
    pthread_mutex_lock(&zs_lock);
    zs_reaper_waiting = 1;
    while (zs_released == NULL && !zs_stopping)
        pthread_cond_wait(&zs_released_cond, &zs_lock);
    zs_reaper_waiting = 0;
    go_on = !zs_stopping;
    pthread_mutex_unlock(&zs_lock);
    return go_on;
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
