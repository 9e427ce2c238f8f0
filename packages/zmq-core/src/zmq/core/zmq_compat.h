/* SPDX-License-Identifier: BSD-3-Clause
 *
 * Lets one set of Cython sources build against libzmq with or without the
 * draft API. Without drafts, zmq.h does not declare the draft functions, so
 * stand-ins are given that fail the way libzmq fails an unsupported call
 * (errno ENOTSUP), and ZMQ_STACK_DRAFT_API tells Python which build this is.
 */
#ifndef ZMQ_STACK_COMPAT_H
#define ZMQ_STACK_COMPAT_H

#include <errno.h>
#include <stdint.h>
#include <zmq.h>

#ifdef ZMQ_BUILD_DRAFT_API
#define ZMQ_STACK_DRAFT_API 1
#else
#define ZMQ_STACK_DRAFT_API 0

static inline int zmq_join(void *s, const char *group)
{ (void) s; (void) group; errno = ENOTSUP; return -1; }
static inline int zmq_leave(void *s, const char *group)
{ (void) s; (void) group; errno = ENOTSUP; return -1; }
static inline int zmq_msg_set_routing_id(zmq_msg_t *msg, uint32_t routing_id)
{ (void) msg; (void) routing_id; errno = ENOTSUP; return -1; }
static inline uint32_t zmq_msg_routing_id(zmq_msg_t *msg)
{ (void) msg; errno = ENOTSUP; return 0; }
static inline int zmq_msg_set_group(zmq_msg_t *msg, const char *group)
{ (void) msg; (void) group; errno = ENOTSUP; return -1; }
static inline const char *zmq_msg_group(zmq_msg_t *msg)
{ (void) msg; errno = ENOTSUP; return NULL; }
#endif

#endif
