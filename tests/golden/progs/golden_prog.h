/* golden_prog.h — shared by the golden test programs.
 *
 * GOLDEN_NOIPA keeps a function a frame of its own with its own name: not
 * inlined, not cloned (alloc.constprop.0), and its arguments unknown inside
 * it, so a loop whose count is an argument is never unrolled into several
 * allocation calls (each copy would be a stack of its own). */
#ifndef GOLDEN_PROG_H
#define GOLDEN_PROG_H

#if defined(__clang__)
#define GOLDEN_NOIPA __attribute__((noinline, optnone))
#else
#define GOLDEN_NOIPA __attribute__((noipa))
#endif

#endif
