/*
 * pause: the sandbox ("infra") container's process. It holds a pod's namespaces open while the
 * pod's containers come and go, reaps any zombie re-parented to it (it is PID 1 of the pod's
 * PID namespace when that is shared), and ends cleanly on SIGINT/SIGTERM.
 * Built static (gcc -static) into a FROM-scratch image by scripts/images.sh.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define VERSION "qvirt-3.10"

static void on_stop(int signo) {
  (void)signo;
  _exit(0);
}

static void on_child(int signo) {
  (void)signo;
  /* Reap every child that has ended; WNOHANG so a live one does not block us. */
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "-v") == 0) {
    printf("pause.c %s\n", VERSION);
    return 0;
  }
  if (getpid() != 1) {
    /* Not an error, just unusual: we only reap our own children then. */
    fprintf(stderr, "Warning: pause should be the first process\n");
  }

  struct sigaction stop = {.sa_handler = on_stop};
  if (sigaction(SIGINT, &stop, NULL) < 0) return 1;
  if (sigaction(SIGTERM, &stop, NULL) < 0) return 2;

  struct sigaction child = {.sa_handler = on_child, .sa_flags = SA_NOCLDSTOP};
  if (sigaction(SIGCHLD, &child, NULL) < 0) return 3;

  for (;;) pause();
  fprintf(stderr, "Error: infinite loop terminated\n");
  return 42;
}
