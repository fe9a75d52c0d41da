/* termsig.h — signals that end the process by default: the trace is ended
 * first, and the program still sees its own dispositions (termsig.c). */
#ifndef HS_TERMSIG_H
#define HS_TERMSIG_H

#include <signal.h>

/* While recording: stand in for the default action of each watched signal
 * the program has left at its default. */
void hs_termsig_install(void);
/* Is sig one of them? */
int hs_termsig_watched(int sig);
/* sigaction() for a watched signal, as the program sees it. */
int hs_termsig_action(int sig, const struct sigaction *act, struct sigaction *old);

#endif
