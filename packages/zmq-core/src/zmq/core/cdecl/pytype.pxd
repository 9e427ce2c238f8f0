# SPDX-License-Identifier: BSD-3-Clause
"""What zmq-core needs from CPython's object model: class attributes on
Cython classes, CPython's own attribute hook for classes with __getattr__,
an instance __dict__ made only when used, and whether the interpreter is
free-threaded."""

from cpython.object cimport PyObject


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
    /* A Cython class with __getattr__ gets an attribute hook of Cython's
       own, which CPython's method cache never looks through: every
       sock.send(...) then builds a bound method, about 1,500 instructions
       more per send+recv pair on 3.12 than a method read through a Python
       class. CPython's hook for Python classes with __getattr__ (taken
       from such a class, as it is not exported) gives the same results:
       a name found the usual way, else __getattr__(name), without raising
       and catching an AttributeError first. With __getattribute__ left to
       object's own, Python 3.12+ specialises method reads through it, for
       objects whose __dict__ was never made (see below). */
    static int zmq_stack_use_python_getattr_hook(PyObject *type, PyObject *model) {
        PyTypeObject *t = (PyTypeObject *)type;
        getattrofunc hook = ((PyTypeObject *)model)->tp_getattro;
        if (hook == PyObject_GenericGetAttr || hook == t->tp_getattro)
            return 0;
        /* the slot wrapper of Cython's hook would shadow object's */
        if (PyDict_GetItemString(t->tp_dict, "__getattribute__") != NULL
                && PyDict_DelItemString(t->tp_dict, "__getattribute__") < 0)
            return -1;
        t->tp_getattro = hook;
        PyType_Modified(t);
        return 0;
    }
    """
    int use_python_getattr_hook "zmq_stack_use_python_getattr_hook" (
        object type, object model) except -1


cdef extern from *:
    """
    /* Cython makes the __dict__ of a class declaring one when it makes the
       object; CPython's specialised method read (3.12+) only applies to
       objects of such classes while it was never made. Dropping the empty
       one is safe: Cython's own code, CPython's attribute lookup and
       __dict__ itself all make it when first needed. */
    static PyObject **zmq_stack_dict_slot(PyObject *obj) {
        Py_ssize_t offset = Py_TYPE(obj)->tp_dictoffset;
        return offset > 0 ? (PyObject **)((char *)obj + offset) : NULL;
    }
    static void zmq_stack_drop_empty_dict(PyObject *obj) {
        PyObject **slot = zmq_stack_dict_slot(obj);
        if (slot != NULL && *slot != NULL && PyDict_CheckExact(*slot)
                && PyDict_GET_SIZE(*slot) == 0)
            Py_CLEAR(*slot);
    }
    /* the object's __dict__ (borrowed), or NULL if it has none yet */
    static PyObject *zmq_stack_dict_if_made(PyObject *obj) {
        PyObject **slot = zmq_stack_dict_slot(obj);
        return slot != NULL && *slot != NULL && PyDict_CheckExact(*slot) ? *slot : NULL;
    }
    """
    void drop_empty_dict "zmq_stack_drop_empty_dict" (object obj)
    PyObject *dict_if_made "zmq_stack_dict_if_made" (object obj)


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
