# SPDX-License-Identifier: BSD-3-Clause
"""The codec hook's C interface: what zmq-core's Socket reads and calls.

zmq.core.codecs owns the provider and its fast pickle path; Socket's
serialisation methods use them through these declarations, so that a plain
Socket's ``send_pyobj``/``recv_pyobj`` reach the provider's pickler without
an attribute lookup. Private: zmq/__init__.pxd does not cimport this file.
The provider's own contract is in zmq.core.codecs' docstring.
"""

# The provider in use: None until register() or the zmq.codecs entry point
# gave one.
cdef object _provider
# The provider's pyobj_dumps, pyobj_loads and pyobj_loads_error (this one
# may be None); all three None when it lacks pyobj_dumps or pyobj_loads.
cdef object _pyobj_dumps
cdef object _pyobj_loads
cdef object _pyobj_loads_error

# With no provider in use, load the one the zmq.codecs entry point names, for
# the first call of Socket.<method>(); ImportError when there is none.
cdef int _ensure_provider(str method) except -1

# The provider's function for Socket.<name>() (loading the provider first if
# none is in use); ImportError naming the provider when it lacks it.
cdef object _function(str name)
