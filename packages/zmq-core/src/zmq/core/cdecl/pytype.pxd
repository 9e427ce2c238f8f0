# SPDX-License-Identifier: BSD-3-Clause
"""What zmq-core needs from CPython's object model: class attributes on
Cython classes, and whether the interpreter is free-threaded."""

cdef extern from *:
    """
    /* Static (Cython) types are immutable since Python 3.10: assigning a
       class attribute raises TypeError. PyZMQ's classes are Python classes,
       and programs and test suites set attributes on them
       (Context._instance = None, mock.patch.object(zmq.Socket, ...)), so
       zmq-core's public classes drop the flag. */
    static void zmq_stack_allow_class_attributes(PyObject *type) {
    #ifdef Py_TPFLAGS_IMMUTABLETYPE
        ((PyTypeObject *)type)->tp_flags &= ~Py_TPFLAGS_IMMUTABLETYPE;
        PyType_Modified((PyTypeObject *)type);
    #endif
    }
    """
    void allow_class_attributes "zmq_stack_allow_class_attributes" (object type)


cdef extern from *:
    """
    /* 1 on free-threaded CPython (3.13t, 3.14t), where another thread's
       call can run between two of this thread's critical sections; 0 with
       the GIL, where nothing runs between them unless the GIL is let go. */
    #ifdef Py_GIL_DISABLED
    #define ZMQ_STACK_FREE_THREADED 1
    #else
    #define ZMQ_STACK_FREE_THREADED 0
    #endif
    """
    const bint FREE_THREADED "ZMQ_STACK_FREE_THREADED"
