# SPDX-License-Identifier: BSD-3-Clause
# The C API of zmq.h (libzmq 4.3), all of it, declared once: constants,
# types and functions in the header's own order, under its section names.
#
#   from zmq cimport libzmq                 (or zmq.core / zmq.backend.cython)
#   libzmq.zmq_setsockopt(sock.handle, libzmq.ZMQ_LINGER, &zero, sizeof(int))
#
# The values of the constants come from the zmq.h being compiled against; the
# Python-level table zmq/core/constants.py holds the same values, and
# tools/check_libzmq_pxd.py (lint env, and tests/test_libzmq_pxd.py against the
# zmq.h of the build under test) fails when a name of zmq.h or of that table
# is missing here.
#
# The DRAFT section at the end compiles against a zmq.h without the draft API
# too: zmq_compat.h defines the draft constants and types there, and gives
# stand-ins for the draft functions that fail with errno ENOTSUP, the way
# libzmq fails an unsupported call. ZMQ_STACK_DRAFT_API tells which it is.
# As with PyZMQ, a build gets zmq.h's own draft API by defining
# ZMQ_BUILD_DRAFT_API (zmq-core's draft build does; pkg-config's Cflags of a
# draft libzmq carry it); zmq.get_includes() alone gives the stand-ins.

from libc.stdint cimport int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from posix.uio cimport iovec


# Included first: it includes zmq.h, then fills in what a stable zmq.h lacks.
cdef extern from "zmq_compat.h":
    pass


cdef extern from "zmq.h" nogil:

    # Version macros for compile-time API version detection
    enum:
        ZMQ_VERSION_MAJOR
        ZMQ_VERSION_MINOR
        ZMQ_VERSION_PATCH
        ZMQ_VERSION
    int ZMQ_MAKE_VERSION(int major, int minor, int patch)

    # 0MQ errors
    enum:
        ZMQ_HAUSNUMERO
        # POSIX errno values libzmq reports (from <errno.h>, which zmq.h
        # includes); zmq.h defines the ones a platform may lack
        EAGAIN
        EINTR
        EINVAL
        EFAULT
        ENOMEM
        ENOTSUP
        EPROTONOSUPPORT
        ENOBUFS
        ENETDOWN
        EADDRINUSE
        EADDRNOTAVAIL
        ECONNREFUSED
        EINPROGRESS
        ENOTSOCK
        EMSGSIZE
        EAFNOSUPPORT
        ENETUNREACH
        ECONNABORTED
        ECONNRESET
        ENOTCONN
        ETIMEDOUT
        EHOSTUNREACH
        ENETRESET
        # native 0MQ error codes
        EFSM
        ENOCOMPATPROTO
        ETERM
        EMTHREAD

    int zmq_errno()
    const char *zmq_strerror(int errnum)

    # Run-time API version detection
    void zmq_version(int *major, int *minor, int *patch)

    # 0MQ infrastructure (a.k.a. context) initialisation & termination
    # Context options
    enum:
        ZMQ_IO_THREADS
        ZMQ_MAX_SOCKETS
        ZMQ_SOCKET_LIMIT
        ZMQ_THREAD_PRIORITY
        ZMQ_THREAD_SCHED_POLICY
        ZMQ_MAX_MSGSZ
        ZMQ_MSG_T_SIZE
        ZMQ_THREAD_AFFINITY_CPU_ADD
        ZMQ_THREAD_AFFINITY_CPU_REMOVE
        ZMQ_THREAD_NAME_PREFIX
    # Default for new contexts
    enum:
        ZMQ_IO_THREADS_DFLT
        ZMQ_MAX_SOCKETS_DFLT
        ZMQ_THREAD_PRIORITY_DFLT
        ZMQ_THREAD_SCHED_POLICY_DFLT

    void *zmq_ctx_new()
    int zmq_ctx_term(void *context)
    int zmq_ctx_shutdown(void *context)
    int zmq_ctx_set(void *context, int option, int optval)
    int zmq_ctx_get(void *context, int option)

    # Old (legacy) API
    void *zmq_init(int io_threads)
    int zmq_term(void *context)
    int zmq_ctx_destroy(void *context)

    # 0MQ message definition: opaque, 64 bytes, pointer-aligned (Cython only
    # needs its size; the C compiler sees zmq.h's own definition)
    ctypedef struct zmq_msg_t:
        unsigned char _[64]

    ctypedef void zmq_free_fn(void *data, void *hint)

    int zmq_msg_init(zmq_msg_t *msg)
    int zmq_msg_init_size(zmq_msg_t *msg, size_t size)
    int zmq_msg_init_data(zmq_msg_t *msg, void *data, size_t size,
                          zmq_free_fn *ffn, void *hint)
    int zmq_msg_send(zmq_msg_t *msg, void *s, int flags)
    int zmq_msg_recv(zmq_msg_t *msg, void *s, int flags)
    int zmq_msg_close(zmq_msg_t *msg)
    int zmq_msg_move(zmq_msg_t *dest, zmq_msg_t *src)
    int zmq_msg_copy(zmq_msg_t *dest, zmq_msg_t *src)
    void *zmq_msg_data(zmq_msg_t *msg)
    size_t zmq_msg_size(const zmq_msg_t *msg)
    int zmq_msg_more(const zmq_msg_t *msg)
    int zmq_msg_get(const zmq_msg_t *msg, int property)
    int zmq_msg_set(zmq_msg_t *msg, int property, int optval)
    const char *zmq_msg_gets(const zmq_msg_t *msg, const char *property)

    # 0MQ socket definition
    # Socket types
    enum:
        ZMQ_PAIR
        ZMQ_PUB
        ZMQ_SUB
        ZMQ_REQ
        ZMQ_REP
        ZMQ_DEALER
        ZMQ_ROUTER
        ZMQ_PULL
        ZMQ_PUSH
        ZMQ_XPUB
        ZMQ_XSUB
        ZMQ_STREAM
    # Deprecated aliases
    enum:
        ZMQ_XREQ
        ZMQ_XREP

    # Socket options
    enum:
        ZMQ_AFFINITY
        ZMQ_ROUTING_ID
        ZMQ_SUBSCRIBE
        ZMQ_UNSUBSCRIBE
        ZMQ_RATE
        ZMQ_RECOVERY_IVL
        ZMQ_SNDBUF
        ZMQ_RCVBUF
        ZMQ_RCVMORE
        ZMQ_FD
        ZMQ_EVENTS
        ZMQ_TYPE
        ZMQ_LINGER
        ZMQ_RECONNECT_IVL
        ZMQ_BACKLOG
        ZMQ_RECONNECT_IVL_MAX
        ZMQ_MAXMSGSIZE
        ZMQ_SNDHWM
        ZMQ_RCVHWM
        ZMQ_MULTICAST_HOPS
        ZMQ_RCVTIMEO
        ZMQ_SNDTIMEO
        ZMQ_LAST_ENDPOINT
        ZMQ_ROUTER_MANDATORY
        ZMQ_TCP_KEEPALIVE
        ZMQ_TCP_KEEPALIVE_CNT
        ZMQ_TCP_KEEPALIVE_IDLE
        ZMQ_TCP_KEEPALIVE_INTVL
        ZMQ_IMMEDIATE
        ZMQ_XPUB_VERBOSE
        ZMQ_ROUTER_RAW
        ZMQ_IPV6
        ZMQ_MECHANISM
        ZMQ_PLAIN_SERVER
        ZMQ_PLAIN_USERNAME
        ZMQ_PLAIN_PASSWORD
        ZMQ_CURVE_SERVER
        ZMQ_CURVE_PUBLICKEY
        ZMQ_CURVE_SECRETKEY
        ZMQ_CURVE_SERVERKEY
        ZMQ_PROBE_ROUTER
        ZMQ_REQ_CORRELATE
        ZMQ_REQ_RELAXED
        ZMQ_CONFLATE
        ZMQ_ZAP_DOMAIN
        ZMQ_ROUTER_HANDOVER
        ZMQ_TOS
        ZMQ_CONNECT_ROUTING_ID
        ZMQ_GSSAPI_SERVER
        ZMQ_GSSAPI_PRINCIPAL
        ZMQ_GSSAPI_SERVICE_PRINCIPAL
        ZMQ_GSSAPI_PLAINTEXT
        ZMQ_HANDSHAKE_IVL
        ZMQ_SOCKS_PROXY
        ZMQ_XPUB_NODROP
        ZMQ_BLOCKY
        ZMQ_XPUB_MANUAL
        ZMQ_XPUB_WELCOME_MSG
        ZMQ_STREAM_NOTIFY
        ZMQ_INVERT_MATCHING
        ZMQ_HEARTBEAT_IVL
        ZMQ_HEARTBEAT_TTL
        ZMQ_HEARTBEAT_TIMEOUT
        ZMQ_XPUB_VERBOSER
        ZMQ_CONNECT_TIMEOUT
        ZMQ_TCP_MAXRT
        ZMQ_THREAD_SAFE
        ZMQ_MULTICAST_MAXTPDU
        ZMQ_VMCI_BUFFER_SIZE
        ZMQ_VMCI_BUFFER_MIN_SIZE
        ZMQ_VMCI_BUFFER_MAX_SIZE
        ZMQ_VMCI_CONNECT_TIMEOUT
        ZMQ_USE_FD
        ZMQ_GSSAPI_PRINCIPAL_NAMETYPE
        ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE
        ZMQ_BINDTODEVICE

    # Message options
    enum:
        ZMQ_MORE
        ZMQ_SHARED

    # Send/recv options
    enum:
        ZMQ_DONTWAIT
        ZMQ_SNDMORE

    # Security mechanisms
    enum:
        ZMQ_NULL
        ZMQ_PLAIN
        ZMQ_CURVE
        ZMQ_GSSAPI

    # RADIO-DISH protocol
    enum:
        ZMQ_GROUP_MAX_LENGTH

    # Deprecated options and aliases
    enum:
        ZMQ_IDENTITY
        ZMQ_CONNECT_RID
        ZMQ_TCP_ACCEPT_FILTER
        ZMQ_IPC_FILTER_PID
        ZMQ_IPC_FILTER_UID
        ZMQ_IPC_FILTER_GID
        ZMQ_IPV4ONLY
        ZMQ_DELAY_ATTACH_ON_CONNECT
        ZMQ_NOBLOCK
        ZMQ_FAIL_UNROUTABLE
        ZMQ_ROUTER_BEHAVIOR

    # Deprecated Message options
    enum:
        ZMQ_SRCFD

    # GSSAPI definitions
    # GSSAPI principal name types
    enum:
        ZMQ_GSSAPI_NT_HOSTBASED
        ZMQ_GSSAPI_NT_USER_NAME
        ZMQ_GSSAPI_NT_KRB5_PRINCIPAL

    # 0MQ socket events and monitoring
    # Socket transport events (TCP, IPC and TIPC only)
    enum:
        ZMQ_EVENT_CONNECTED
        ZMQ_EVENT_CONNECT_DELAYED
        ZMQ_EVENT_CONNECT_RETRIED
        ZMQ_EVENT_LISTENING
        ZMQ_EVENT_BIND_FAILED
        ZMQ_EVENT_ACCEPTED
        ZMQ_EVENT_ACCEPT_FAILED
        ZMQ_EVENT_CLOSED
        ZMQ_EVENT_CLOSE_FAILED
        ZMQ_EVENT_DISCONNECTED
        ZMQ_EVENT_MONITOR_STOPPED
        ZMQ_EVENT_ALL
        ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
        ZMQ_EVENT_HANDSHAKE_SUCCEEDED
        ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
        ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
        ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED
        ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND
        ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE
        ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME
        ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA
        ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC
        ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH
        ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED
        ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY
        ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID
        ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION
        ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE
        ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA
        ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED

    void *zmq_socket(void *context, int type)
    int zmq_close(void *s)
    int zmq_setsockopt(void *s, int option, const void *optval, size_t optvallen)
    int zmq_getsockopt(void *s, int option, void *optval, size_t *optvallen)
    int zmq_bind(void *s, const char *addr)
    int zmq_connect(void *s, const char *addr)
    int zmq_unbind(void *s, const char *addr)
    int zmq_disconnect(void *s, const char *addr)
    int zmq_send(void *s, const void *buf, size_t len, int flags)
    int zmq_send_const(void *s, const void *buf, size_t len, int flags)
    int zmq_recv(void *s, void *buf, size_t len, int flags)
    int zmq_socket_monitor(void *s, const char *addr, int events)

    # Hide socket fd type; this was before zmq_poller_event_t typedef below
    # (int on POSIX; Cython only needs an integer type of some size)
    ctypedef int zmq_fd_t

    # Deprecated I/O multiplexing. Prefer using zmq_poller API
    enum:
        ZMQ_POLLIN
        ZMQ_POLLOUT
        ZMQ_POLLERR
        ZMQ_POLLPRI

    ctypedef struct zmq_pollitem_t:
        void *socket
        zmq_fd_t fd
        short events
        short revents

    enum:
        ZMQ_POLLITEMS_DFLT

    int zmq_poll(zmq_pollitem_t *items, int nitems, long timeout)

    # Message proxying
    int zmq_proxy(void *frontend, void *backend, void *capture)
    int zmq_proxy_steerable(void *frontend, void *backend, void *capture,
                            void *control)

    # Probe library capabilities
    enum:
        ZMQ_HAS_CAPABILITIES
    int zmq_has(const char *capability)

    # Deprecated aliases
    enum:
        ZMQ_STREAMER
        ZMQ_FORWARDER
        ZMQ_QUEUE

    # Deprecated methods
    int zmq_device(int type, void *frontend, void *backend)
    int zmq_sendmsg(void *s, zmq_msg_t *msg, int flags)
    int zmq_recvmsg(void *s, zmq_msg_t *msg, int flags)
    int zmq_sendiov(void *s, iovec *iov, size_t count, int flags)
    int zmq_recviov(void *s, iovec *iov, size_t *count, int flags)

    # Encryption functions
    char *zmq_z85_encode(char *dest, const uint8_t *data, size_t size)
    uint8_t *zmq_z85_decode(uint8_t *dest, const char *string)
    int zmq_curve_keypair(char *z85_public_key, char *z85_secret_key)
    int zmq_curve_public(char *z85_public_key, const char *z85_secret_key)

    # Atomic utility methods
    void *zmq_atomic_counter_new()
    void zmq_atomic_counter_set(void *counter, int value)
    int zmq_atomic_counter_inc(void *counter)
    int zmq_atomic_counter_dec(void *counter)
    int zmq_atomic_counter_value(void *counter)
    void zmq_atomic_counter_destroy(void **counter_p)

    # Scheduling timers
    ctypedef void zmq_timer_fn(int timer_id, void *arg)

    void *zmq_timers_new()
    int zmq_timers_destroy(void **timers_p)
    int zmq_timers_add(void *timers, size_t interval, zmq_timer_fn *handler,
                       void *arg)
    int zmq_timers_cancel(void *timers, int timer_id)
    int zmq_timers_set_interval(void *timers, int timer_id, size_t interval)
    int zmq_timers_reset(void *timers, int timer_id)
    long zmq_timers_timeout(void *timers)
    int zmq_timers_execute(void *timers)

    # These functions are not documented by man pages -- use at your own risk
    void *zmq_stopwatch_start()
    unsigned long zmq_stopwatch_intermediate(void *watch)
    unsigned long zmq_stopwatch_stop(void *watch)
    void zmq_sleep(int seconds)

    ctypedef void zmq_thread_fn(void *arg)

    void *zmq_threadstart(zmq_thread_fn *func, void *arg)
    void zmq_threadclose(void *thread)

    # ---------------------------------------------------------------------
    # DRAFT: in zmq.h only under ZMQ_BUILD_DRAFT_API. Without it, the
    # constants and types below come from zmq_compat.h and the functions are
    # its stand-ins, which fail with errno ENOTSUP.
    # ---------------------------------------------------------------------

    # DRAFT Socket types
    enum:
        ZMQ_SERVER
        ZMQ_CLIENT
        ZMQ_RADIO
        ZMQ_DISH
        ZMQ_GATHER
        ZMQ_SCATTER
        ZMQ_DGRAM
        ZMQ_PEER
        ZMQ_CHANNEL

    # DRAFT Socket options
    enum:
        ZMQ_ZAP_ENFORCE_DOMAIN
        ZMQ_LOOPBACK_FASTPATH
        ZMQ_METADATA
        ZMQ_MULTICAST_LOOP
        ZMQ_ROUTER_NOTIFY
        ZMQ_XPUB_MANUAL_LAST_VALUE
        ZMQ_SOCKS_USERNAME
        ZMQ_SOCKS_PASSWORD
        ZMQ_IN_BATCH_SIZE
        ZMQ_OUT_BATCH_SIZE
        ZMQ_WSS_KEY_PEM
        ZMQ_WSS_CERT_PEM
        ZMQ_WSS_TRUST_PEM
        ZMQ_WSS_HOSTNAME
        ZMQ_WSS_TRUST_SYSTEM
        ZMQ_ONLY_FIRST_SUBSCRIBE
        ZMQ_RECONNECT_STOP
        ZMQ_HELLO_MSG
        ZMQ_DISCONNECT_MSG
        ZMQ_PRIORITY

    # DRAFT ZMQ_RECONNECT_STOP options
    enum:
        ZMQ_RECONNECT_STOP_CONN_REFUSED
        ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED
        ZMQ_RECONNECT_STOP_AFTER_DISCONNECT

    # DRAFT Context options
    enum:
        ZMQ_ZERO_COPY_RECV

    # DRAFT Context methods
    int zmq_ctx_set_ext(void *context, int option, const void *optval,
                        size_t optvallen)
    int zmq_ctx_get_ext(void *context, int option, void *optval,
                        size_t *optvallen)

    # DRAFT Socket methods
    int zmq_join(void *s, const char *group)
    int zmq_leave(void *s, const char *group)
    uint32_t zmq_connect_peer(void *s, const char *addr)

    # DRAFT Msg methods
    int zmq_msg_set_routing_id(zmq_msg_t *msg, uint32_t routing_id)
    uint32_t zmq_msg_routing_id(zmq_msg_t *msg)
    int zmq_msg_set_group(zmq_msg_t *msg, const char *group)
    const char *zmq_msg_group(zmq_msg_t *msg)
    int zmq_msg_init_buffer(zmq_msg_t *msg, const void *buf, size_t size)

    # DRAFT Msg property names
    const char *ZMQ_MSG_PROPERTY_ROUTING_ID
    const char *ZMQ_MSG_PROPERTY_SOCKET_TYPE
    const char *ZMQ_MSG_PROPERTY_USER_ID
    const char *ZMQ_MSG_PROPERTY_PEER_ADDRESS

    # Router notify options
    enum:
        ZMQ_NOTIFY_CONNECT
        ZMQ_NOTIFY_DISCONNECT

    # Poller polling on sockets,fd and thread-safe sockets
    ctypedef struct zmq_poller_event_t:
        void *socket
        zmq_fd_t fd
        void *user_data
        short events

    void *zmq_poller_new()
    int zmq_poller_destroy(void **poller_p)
    int zmq_poller_size(void *poller)
    int zmq_poller_add(void *poller, void *socket, void *user_data, short events)
    int zmq_poller_modify(void *poller, void *socket, short events)
    int zmq_poller_remove(void *poller, void *socket)
    int zmq_poller_wait(void *poller, zmq_poller_event_t *event, long timeout)
    int zmq_poller_wait_all(void *poller, zmq_poller_event_t *events,
                            int n_events, long timeout)
    int zmq_poller_fd(void *poller, zmq_fd_t *fd)
    int zmq_poller_add_fd(void *poller, zmq_fd_t fd, void *user_data,
                          short events)
    int zmq_poller_modify_fd(void *poller, zmq_fd_t fd, short events)
    int zmq_poller_remove_fd(void *poller, zmq_fd_t fd)

    int zmq_socket_get_peer_state(void *socket, const void *routing_id,
                                  size_t routing_id_size)

    # DRAFT Socket monitoring events
    enum:
        ZMQ_EVENT_PIPES_STATS
        ZMQ_CURRENT_EVENT_VERSION
        ZMQ_CURRENT_EVENT_VERSION_DRAFT
        ZMQ_EVENT_ALL_V1
        ZMQ_EVENT_ALL_V2

    int zmq_socket_monitor_versioned(void *s, const char *addr,
                                     uint64_t events, int event_version,
                                     int type)
    int zmq_socket_monitor_pipes_stats(void *s)

    # DRAFT names of libzmq releases after 4.3.4 (and the libzmq 2 option
    # ZMQ_HWM), which PyZMQ 27's constants carry; zmq_compat.h defines each
    # one its zmq.h lacks
    enum:
        ZMQ_HWM
        ZMQ_BUSY_POLL
        ZMQ_HICCUP_MSG
        ZMQ_XSUB_VERBOSE_UNSUBSCRIBE
        ZMQ_TOPICS_COUNT
        ZMQ_NORM_MODE
        ZMQ_NORM_UNICAST_NACK
        ZMQ_NORM_BUFFER_SIZE
        ZMQ_NORM_SEGMENT_SIZE
        ZMQ_NORM_BLOCK_SIZE
        ZMQ_NORM_NUM_PARITY
        ZMQ_NORM_NUM_AUTOPARITY
        ZMQ_NORM_PUSH
        ZMQ_NORM_FIXED
        ZMQ_NORM_CC
        ZMQ_NORM_CCL
        ZMQ_NORM_CCE
        ZMQ_NORM_CCE_ECNONLY


cdef extern from "zmq_compat.h" nogil:

    # 1 when this extension was compiled against a zmq.h with the draft API
    int ZMQ_STACK_DRAFT_API

    # Names of PyZMQ 27's libzmq.pxd that are not zmq.h's own, so Cython
    # code written against PyZMQ compiles unchanged
    enum:
        PYZMQ_DRAFT_API "ZMQ_STACK_DRAFT_API"
    ctypedef zmq_fd_t fd_t "zmq_fd_t"
    void _zmq_version "zmq_version"(int *major, int *minor, int *patch)
    # the error numbers under a ZMQ_ prefix
    enum:
        ZMQ_EAGAIN "EAGAIN"
        ZMQ_EFAULT "EFAULT"
        ZMQ_EINVAL "EINVAL"
        ZMQ_ENOTSUP "ENOTSUP"
        ZMQ_EPROTONOSUPPORT "EPROTONOSUPPORT"
        ZMQ_ENOBUFS "ENOBUFS"
        ZMQ_ENETDOWN "ENETDOWN"
        ZMQ_EADDRINUSE "EADDRINUSE"
        ZMQ_EADDRNOTAVAIL "EADDRNOTAVAIL"
        ZMQ_ECONNREFUSED "ECONNREFUSED"
        ZMQ_EINPROGRESS "EINPROGRESS"
        ZMQ_ENOTSOCK "ENOTSOCK"
        ZMQ_EMSGSIZE "EMSGSIZE"
        ZMQ_EAFNOSUPPORT "EAFNOSUPPORT"
        ZMQ_ENETUNREACH "ENETUNREACH"
        ZMQ_ECONNABORTED "ECONNABORTED"
        ZMQ_ECONNRESET "ECONNRESET"
        ZMQ_ENOTCONN "ENOTCONN"
        ZMQ_ETIMEDOUT "ETIMEDOUT"
        ZMQ_EHOSTUNREACH "EHOSTUNREACH"
        ZMQ_ENETRESET "ENETRESET"
        ZMQ_EFSM "EFSM"
        ZMQ_ENOCOMPATPROTO "ENOCOMPATPROTO"
        ZMQ_ETERM "ETERM"
        ZMQ_EMTHREAD "EMTHREAD"
