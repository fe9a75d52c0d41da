/* Scenario 2: a leaked singly linked list of 10 nodes of 32 bytes: the head
 * is definitely lost, the 9 nodes behind it indirectly. */
#include <stdlib.h>

#include "leaktest.h"

struct node {
	struct node *next;
	char payload[24];
};

__attribute__((noinline)) static struct node *make_list(int n)
{
	struct node *head = NULL;
	for (int i = 0; i < n; i++) {
		struct node *nd = malloc(sizeof *nd); /* @list_node */
		nd->next = head;
		memset(nd->payload, i, sizeof nd->payload);
		head = nd;
	}
	return head;
}

__attribute__((noinline)) static void leak_list(void)
{
	struct node *head = make_list(10);
	if (!head || head->payload[0] != 9)
		abort();
	head = NULL;
}

int main(void)
{
	leak_list();
	lt_scrub_stack();
	return 0;
}
