# SPDX-License-Identifier: BSD-3-Clause
"""Letting Python code set attributes on zmq-core's Cython classes."""

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
