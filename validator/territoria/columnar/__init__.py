"""Arrow and numpy building blocks shared by every stage: buffer views, the
optional compiled kernels, key hashing and the open-addressing key table.

Why a room of its own: the field types, the engine and the custom checks all
work on the raw buffers of Arrow arrays; keeping those helpers here (and not in
one of their callers) is what keeps the import graph free of circles.
"""
