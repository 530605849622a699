/**
 * The command line ({@code tools/brainstate4j}): {@link org.brainstate4j.cli.Main} and its
 * package-private subcommands {@code train}, {@code evaluate}, {@code predict}, {@code export},
 * {@code models} and {@code summary}. Not a library API: bad arguments end the process with a
 * one-line message and exit status 2.
 */
package org.brainstate4j.cli;
