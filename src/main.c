/* main.c - placeholder until the command table lands. */
#include <stdio.h>
int main(void)
{
    puts("borch-db " BORCH_VERSION);
    return 0;
}
