# SPDX-License-Identifier: BSD-3-Clause
# The C API of zmq.h (libzmq 4.3), declared once, in the header's own order.
#
# Numeric constants are not mirrored here: zmq/core/constants.py is their
# single source of truth. Only the few names the C-level code needs are
# declared, in the enum block at the end. Draft functions are declared at the
# end too; zmq_compat.h gives stand-ins that fail with ENOTSUP when the build's
# zmq.h lacks them, so this file compiles against both libzmq builds.

from libc.stdint cimport uint8_t, uint32_t


cdef extern from "zmq_compat.h" nogil:

    # Errors
    int zmq_errno()
    const char *zmq_strerror(int errnum)

    # Run-time API version detection
    void zmq_version(int *major, int *minor, int *patch)

    # Context
    void *zmq_ctx_new()
    int zmq_ctx_term(void *context)
    int zmq_ctx_shutdown(void *context)
    int zmq_ctx_set(void *context, int option, int optval)
    int zmq_ctx_get(void *context, int option)

    # Message: an opaque 64-byte, pointer-aligned struct, as in zmq.h
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

    # Socket
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

    # I/O multiplexing
    ctypedef int zmq_fd_t
    ctypedef struct zmq_pollitem_t:
        void *socket
        zmq_fd_t fd
        short events
        short revents
    int zmq_poll(zmq_pollitem_t *items, int nitems, long timeout)

    # Message proxying
    int zmq_proxy(void *frontend, void *backend, void *capture)
    int zmq_proxy_steerable(void *frontend, void *backend, void *capture,
                            void *control)

    # Probe library capabilities
    int zmq_has(const char *capability)

    # Deprecated
    int zmq_device(int type, void *frontend, void *backend)

    # Encryption functions
    char *zmq_z85_encode(char *dest, const uint8_t *data, size_t size)
    uint8_t *zmq_z85_decode(uint8_t *dest, const char *string)
    int zmq_curve_keypair(char *z85_public_key, char *z85_secret_key)
    int zmq_curve_public(char *z85_public_key, const char *z85_secret_key)

    # Atomic counters (used for cheap message tracking)
    void *zmq_atomic_counter_new()
    void zmq_atomic_counter_set(void *counter, int value)
    int zmq_atomic_counter_inc(void *counter)
    int zmq_atomic_counter_dec(void *counter)
    int zmq_atomic_counter_value(void *counter)
    void zmq_atomic_counter_destroy(void **counter_p)

    # DRAFT socket and message methods (stand-ins in zmq_compat.h without drafts)
    int zmq_join(void *s, const char *group)
    int zmq_leave(void *s, const char *group)
    int zmq_msg_set_routing_id(zmq_msg_t *msg, uint32_t routing_id)
    uint32_t zmq_msg_routing_id(zmq_msg_t *msg)
    int zmq_msg_set_group(zmq_msg_t *msg, const char *group)
    const char *zmq_msg_group(zmq_msg_t *msg)

    # 1 when this extension was compiled against a zmq.h with the draft API
    int ZMQ_STACK_DRAFT_API

    # The constants the C-level code itself needs
    enum:
        ZMQ_HAUSNUMERO
        EAGAIN
        EINTR
        EINVAL
        EFAULT
        ENOTSUP
        ENOTSOCK
        ETERM
        EFSM
        ENOMEM
        ZMQ_IO_THREADS
        ZMQ_LINGER
        ZMQ_TYPE
        ZMQ_RCVMORE
        ZMQ_SNDTIMEO
        ZMQ_RCVTIMEO
        ZMQ_FD
        ZMQ_EVENTS
        ZMQ_DONTWAIT
        ZMQ_SNDMORE
        ZMQ_MORE
        ZMQ_POLLIN
        ZMQ_POLLOUT
        ZMQ_POLLERR
