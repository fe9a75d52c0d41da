#ifndef MINI_H
#define MINI_H
#include <stddef.h>
void *mini_buffer(size_t n);
#endif
