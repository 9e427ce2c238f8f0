/* SPDX-License-Identifier: BSD-3-Clause
 *
 * libzmq's own zmq_proxy as a streamer (PULL frontend bound, PUSH backend
 * connected): the yardstick for zmq-broker in bench/run.py.
 *
 * usage: proxy FRONTEND_BIND BACKEND_CONNECT
 */
#include <stdio.h>
#include <zmq.h>

int main (int argc, char *argv[])
{
    if (argc != 3) {
        fprintf (stderr, "usage: proxy FRONTEND_BIND BACKEND_CONNECT\n");
        return 2;
    }
    void *ctx = zmq_ctx_new ();
    void *front = zmq_socket (ctx, ZMQ_PULL);
    void *back = zmq_socket (ctx, ZMQ_PUSH);
    if (zmq_bind (front, argv[1]) != 0 || zmq_connect (back, argv[2]) != 0) {
        fprintf (stderr, "proxy: %s\n", zmq_strerror (zmq_errno ()));
        return 1;
    }
    zmq_proxy (front, back, NULL); /* returns when the process is killed */
    return 0;
}
