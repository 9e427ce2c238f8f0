/* SPDX-License-Identifier: BSD-3-Clause
 *
 * Lets one set of Cython sources (zmq-core's and third-party ones cimporting
 * libzmq.pxd) build against libzmq with or without the draft API.
 *
 * Without drafts, zmq.h does not declare the draft part of the API, so this
 * file supplies it: the draft constants and types, and stand-ins for the
 * draft functions that fail the way libzmq fails an unsupported call (errno
 * ENOTSUP). ZMQ_STACK_DRAFT_API tells Python which build this is.
 *
 * Constants newer than the zmq.h at hand (libzmq releases after 4.3.4 added
 * some, PyZMQ keeps libzmq 2's ZMQ_HWM) are defined when it lacks them.
 * Every value here must equal zmq/core/constants.py's: tools/check_libzmq_pxd.py
 * checks it.
 */
#ifndef ZMQ_STACK_COMPAT_H
#define ZMQ_STACK_COMPAT_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <zmq.h>

#ifdef ZMQ_BUILD_DRAFT_API
#define ZMQ_STACK_DRAFT_API 1
#else
#define ZMQ_STACK_DRAFT_API 0

/*  DRAFT Socket types */
#define ZMQ_SERVER 12
#define ZMQ_CLIENT 13
#define ZMQ_RADIO 14
#define ZMQ_DISH 15
#define ZMQ_GATHER 16
#define ZMQ_SCATTER 17
#define ZMQ_DGRAM 18
#define ZMQ_PEER 19
#define ZMQ_CHANNEL 20

/*  DRAFT Socket options */
#define ZMQ_ZAP_ENFORCE_DOMAIN 93
#define ZMQ_LOOPBACK_FASTPATH 94
#define ZMQ_METADATA 95
#define ZMQ_MULTICAST_LOOP 96
#define ZMQ_ROUTER_NOTIFY 97
#define ZMQ_XPUB_MANUAL_LAST_VALUE 98
#define ZMQ_SOCKS_USERNAME 99
#define ZMQ_SOCKS_PASSWORD 100
#define ZMQ_IN_BATCH_SIZE 101
#define ZMQ_OUT_BATCH_SIZE 102
#define ZMQ_WSS_KEY_PEM 103
#define ZMQ_WSS_CERT_PEM 104
#define ZMQ_WSS_TRUST_PEM 105
#define ZMQ_WSS_HOSTNAME 106
#define ZMQ_WSS_TRUST_SYSTEM 107
#define ZMQ_ONLY_FIRST_SUBSCRIBE 108
#define ZMQ_RECONNECT_STOP 109
#define ZMQ_HELLO_MSG 110
#define ZMQ_DISCONNECT_MSG 111
#define ZMQ_PRIORITY 112

/*  DRAFT ZMQ_RECONNECT_STOP options */
#define ZMQ_RECONNECT_STOP_CONN_REFUSED 0x1
#define ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED 0x2
#define ZMQ_RECONNECT_STOP_AFTER_DISCONNECT 0x3

/*  DRAFT Context options */
#define ZMQ_ZERO_COPY_RECV 10

/*  DRAFT Msg property names */
#define ZMQ_MSG_PROPERTY_ROUTING_ID "Routing-Id"
#define ZMQ_MSG_PROPERTY_SOCKET_TYPE "Socket-Type"
#define ZMQ_MSG_PROPERTY_USER_ID "User-Id"
#define ZMQ_MSG_PROPERTY_PEER_ADDRESS "Peer-Address"

/*  Router notify options */
#define ZMQ_NOTIFY_CONNECT 1
#define ZMQ_NOTIFY_DISCONNECT 2

/*  DRAFT Socket monitoring events */
#define ZMQ_EVENT_PIPES_STATS 0x10000
#define ZMQ_CURRENT_EVENT_VERSION 1
#define ZMQ_CURRENT_EVENT_VERSION_DRAFT 2
#define ZMQ_EVENT_ALL_V1 ZMQ_EVENT_ALL

typedef struct zmq_poller_event_t
{
    void *socket;
    zmq_fd_t fd;
    void *user_data;
    short events;
} zmq_poller_event_t;

/*  Stand-ins for the DRAFT functions, in zmq.h's order */
#define ZMQ_STACK_NO_DRAFT(result) do { errno = ENOTSUP; return result; } while (0)

static inline int zmq_ctx_set_ext(void *context, int option, const void *optval,
                                  size_t optvallen)
{ (void) context; (void) option; (void) optval; (void) optvallen; ZMQ_STACK_NO_DRAFT(-1); }
static inline int zmq_ctx_get_ext(void *context, int option, void *optval,
                                  size_t *optvallen)
{ (void) context; (void) option; (void) optval; (void) optvallen; ZMQ_STACK_NO_DRAFT(-1); }

static inline int zmq_join(void *s, const char *group)
{ (void) s; (void) group; ZMQ_STACK_NO_DRAFT(-1); }
static inline int zmq_leave(void *s, const char *group)
{ (void) s; (void) group; ZMQ_STACK_NO_DRAFT(-1); }
static inline uint32_t zmq_connect_peer(void *s, const char *addr)
{ (void) s; (void) addr; ZMQ_STACK_NO_DRAFT(0); }

static inline int zmq_msg_set_routing_id(zmq_msg_t *msg, uint32_t routing_id)
{ (void) msg; (void) routing_id; ZMQ_STACK_NO_DRAFT(-1); }
static inline uint32_t zmq_msg_routing_id(zmq_msg_t *msg)
{ (void) msg; ZMQ_STACK_NO_DRAFT(0); }
static inline int zmq_msg_set_group(zmq_msg_t *msg, const char *group)
{ (void) msg; (void) group; ZMQ_STACK_NO_DRAFT(-1); }
static inline const char *zmq_msg_group(zmq_msg_t *msg)
{ (void) msg; ZMQ_STACK_NO_DRAFT(NULL); }
static inline int zmq_msg_init_buffer(zmq_msg_t *msg, const void *buf, size_t size)
{ (void) msg; (void) buf; (void) size; ZMQ_STACK_NO_DRAFT(-1); }

static inline void *zmq_poller_new(void)
{ ZMQ_STACK_NO_DRAFT(NULL); }
static inline int zmq_poller_destroy(void **poller_p)
{ (void) poller_p; ZMQ_STACK_NO_DRAFT(-1); }
static inline int zmq_poller_size(void *poller)
{ (void) poller; ZMQ_STACK_NO_DRAFT(-1); }
static inline int zmq_poller_add(void *poller, void *socket, void *user_data, short events)
{ (void) poller; (void) socket; (void) user_data; (void) events; ZMQ_STACK_NO_DRAFT(-1); }
static inline int zmq_poller_modify(void *poller, void *socket, short events)
{ (void) poller; (void) socket; (void) events; ZMQ_STACK_NO_DRAFT(-1); }
static inline int zmq_poller_remove(void *poller, void *socket)
{ (void) poller; (void) socket; ZMQ_STACK_NO_DRAFT(-1); }
static inline int zmq_poller_wait(void *poller, zmq_poller_event_t *event, long timeout)
{ (void) poller; (void) event; (void) timeout; ZMQ_STACK_NO_DRAFT(-1); }
static inline int zmq_poller_wait_all(void *poller, zmq_poller_event_t *events,
                                      int n_events, long timeout)
{ (void) poller; (void) events; (void) n_events; (void) timeout; ZMQ_STACK_NO_DRAFT(-1); }
static inline int zmq_poller_fd(void *poller, zmq_fd_t *fd)
{ (void) poller; (void) fd; ZMQ_STACK_NO_DRAFT(-1); }
static inline int zmq_poller_add_fd(void *poller, zmq_fd_t fd, void *user_data, short events)
{ (void) poller; (void) fd; (void) user_data; (void) events; ZMQ_STACK_NO_DRAFT(-1); }
static inline int zmq_poller_modify_fd(void *poller, zmq_fd_t fd, short events)
{ (void) poller; (void) fd; (void) events; ZMQ_STACK_NO_DRAFT(-1); }
static inline int zmq_poller_remove_fd(void *poller, zmq_fd_t fd)
{ (void) poller; (void) fd; ZMQ_STACK_NO_DRAFT(-1); }

static inline int zmq_socket_get_peer_state(void *socket, const void *routing_id,
                                            size_t routing_id_size)
{ (void) socket; (void) routing_id; (void) routing_id_size; ZMQ_STACK_NO_DRAFT(-1); }

static inline int zmq_socket_monitor_versioned(void *s, const char *addr, uint64_t events,
                                               int event_version, int type)
{ (void) s; (void) addr; (void) events; (void) event_version; (void) type; ZMQ_STACK_NO_DRAFT(-1); }
static inline int zmq_socket_monitor_pipes_stats(void *s)
{ (void) s; ZMQ_STACK_NO_DRAFT(-1); }

#undef ZMQ_STACK_NO_DRAFT
#endif /* ZMQ_BUILD_DRAFT_API */

/* zmq.h leaves this unparenthesised (ZMQ_EVENT_ALL_V1 | ZMQ_EVENT_PIPES_STATS),
 * so `events & ZMQ_EVENT_ALL_V2` would not mean what it says */
#undef ZMQ_EVENT_ALL_V2
#define ZMQ_EVENT_ALL_V2 (ZMQ_EVENT_ALL_V1 | ZMQ_EVENT_PIPES_STATS)

/* Names newer than libzmq 4.3.4's zmq.h (draft in later releases), and
 * libzmq 2's ZMQ_HWM: each is defined only where the zmq.h at hand lacks it */
#ifndef ZMQ_HWM
#define ZMQ_HWM 1
#endif
#ifndef ZMQ_BUSY_POLL
#define ZMQ_BUSY_POLL 113
#endif
#ifndef ZMQ_HICCUP_MSG
#define ZMQ_HICCUP_MSG 114
#endif
#ifndef ZMQ_XSUB_VERBOSE_UNSUBSCRIBE
#define ZMQ_XSUB_VERBOSE_UNSUBSCRIBE 115
#endif
#ifndef ZMQ_TOPICS_COUNT
#define ZMQ_TOPICS_COUNT 116
#endif
#ifndef ZMQ_NORM_MODE
#define ZMQ_NORM_MODE 117
#endif
#ifndef ZMQ_NORM_UNICAST_NACK
#define ZMQ_NORM_UNICAST_NACK 118
#endif
#ifndef ZMQ_NORM_BUFFER_SIZE
#define ZMQ_NORM_BUFFER_SIZE 119
#endif
#ifndef ZMQ_NORM_SEGMENT_SIZE
#define ZMQ_NORM_SEGMENT_SIZE 120
#endif
#ifndef ZMQ_NORM_BLOCK_SIZE
#define ZMQ_NORM_BLOCK_SIZE 121
#endif
#ifndef ZMQ_NORM_NUM_PARITY
#define ZMQ_NORM_NUM_PARITY 122
#endif
#ifndef ZMQ_NORM_NUM_AUTOPARITY
#define ZMQ_NORM_NUM_AUTOPARITY 123
#endif
#ifndef ZMQ_NORM_PUSH
#define ZMQ_NORM_PUSH 124
#endif
#ifndef ZMQ_NORM_FIXED
#define ZMQ_NORM_FIXED 0
#endif
#ifndef ZMQ_NORM_CC
#define ZMQ_NORM_CC 1
#endif
#ifndef ZMQ_NORM_CCL
#define ZMQ_NORM_CCL 2
#endif
#ifndef ZMQ_NORM_CCE
#define ZMQ_NORM_CCE 3
#endif
#ifndef ZMQ_NORM_CCE_ECNONLY
#define ZMQ_NORM_CCE_ECNONLY 4
#endif

#endif
