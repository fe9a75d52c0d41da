/* Scenario 9: a leak inside a dlopen()ed library that the program
 * dlclose()s before exit; the report must still name the library's
 * function and line. With a second argument "fork" (scenario
 * dlopen_fork), the program forks after the leak: the child dlcloses the
 * library, allocates from a new site (so that its trace gets the module
 * map without the library) and exits; the parent waits, then goes on as
 * in scenario 9. Both report the leak in the library. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "leaktest.h"

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		lt_say("dlopen: %s\n", dlerror());
		return 1;
	}
	int (*fn)(void) = (int (*)(void))dlsym(h, "plugin_leak");
	if (!fn)
		return 1;
	int r = fn();
	fn = NULL;
	if (argc > 2 && !strcmp(argv[2], "fork")) {
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			if (dlclose(h) != 0)
				_exit(1);
			free(malloc(11)); /* a new stack, after the unload */
			lt_scrub_stack();
			exit(r == 'p' ? 0 : 1);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			return 1;
		lt_say("child=%d\n", (int)pid);
	}
	if (dlclose(h) != 0)
		return 1;
	h = NULL;
	/* dlclose really unmapped it */
	void *again = dlopen(argv[1], RTLD_NOW | RTLD_NOLOAD);
	lt_say("still_loaded=%d\n", again != NULL);
	if (again)
		dlclose(again);
	lt_scrub_stack();
	return r == 'p' ? 0 : 1;
}
