package org.brainstate4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.brainstate4j.NativeBuilds;
import org.brainstate4j.io.ParameterMismatchException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job. {@code train} (the default) trains a model end to end; {@code evaluate} measures a
 * saved model on the test split; {@code predict} classifies or segments an image with a saved model;
 * {@code summary} prints a model's layers; {@code models} lists what can be trained. Exit status: 0 on
 * success, 2 for a bad argument or an unusable data, model or image file (with a message naming it),
 * 3 when ND4J has no backend that runs here (one line saying what is missing), 1 for anything unexpected.
 */
@Command(name = "brainstate4j", mixinStandardHelpOptions = true, version = "brainstate4j 0.1.0",
        description = "Train and evaluate BrainState's tutorial networks on DL4J/SameDiff.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ExportCommand.class, SummaryCommand.class,
                ModelsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    /** Exit status for refused input: bad arguments, missing or malformed files. */
    static final int REFUSED = 2;

    /** Exit status when ND4J finds no backend it can run (e.g. the CUDA build on a machine without CUDA). */
    static final int NO_BACKEND = 3;

    /** What an empty command line means: train the default model with every default. */
    static final String[] DEFAULT_COMMAND = {"train"};

    /** The options of the command line itself; any other option given first is train's. */
    private static final Set<String> OWN_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    @Override
    public Integer call() {
        // Only reached with no subcommand, which run() has already turned into DEFAULT_COMMAND.
        throw new IllegalStateException("no subcommand given");
    }

    /**
     * The command line with the default command made explicit: nothing, or options first (the
     * README's {@code tools/brainstate4j -e 1}), means {@code train} with those options.
     */
    static String[] withDefaultCommand(String[] args) {
        if (args.length == 0) return DEFAULT_COMMAND.clone();
        if (!args[0].startsWith("-") || OWN_OPTIONS.contains(args[0])) return args;
        String[] train = new String[args.length + 1];
        train[0] = DEFAULT_COMMAND[0];
        System.arraycopy(args, 0, train, 1, args.length);
        return train;
    }

    public static void main(String[] args) {
        useLoggingDefaults(); // before the first logger is created
        NativeBuilds.useFastest(); // before any ND4J class loads
        System.exit(run(args, System.out, System.err));
    }

    /** The command line's logging levels, {@code logging.properties} next to this class; a value set with -D wins. */
    static void useLoggingDefaults() {
        Properties defaults = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("logging.properties")) {
            if (in != null) defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the logging defaults", e);
        }
        for (String key : defaults.stringPropertyNames()) {
            if (System.getProperty(key) == null) System.setProperty(key, defaults.getProperty(key));
        }
    }

    /** Runs the command line; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (isRefusal(e)) {
                err.println("brainstate4j: " + describe(e));
                return REFUSED;
            }
            String backend = NoBackend.describe(e);
            if (backend != null) {
                err.println("brainstate4j: " + backend);
                return NO_BACKEND;
            }
            err.println("brainstate4j: unexpected failure: " + e);
            e.printStackTrace(err);
            return 1;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("brainstate4j: " + parameterError(e));
            return REFUSED;
        });
        // An empty command line, or options alone, runs "train" through picocli, so its options get their defaults.
        try {
            return cli.execute(withDefaultCommand(args));
        } catch (LinkageError e) { // picocli lets Errors through; Nd4j's failed static initialiser is one
            String backend = NoBackend.describe(e);
            if (backend == null) throw e;
            err.println("brainstate4j: " + backend);
            return NO_BACKEND;
        }
    }

    private static boolean isRefusal(Exception e) {
        return e instanceof IllegalArgumentException || e instanceof IOException;
    }

    /** A refusal's message as one line (the command line promises one line per refusal). */
    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException n) return "file not found: " + n.getFile();
        if (e instanceof ParameterMismatchException p) return parameterMismatch(p);
        return oneLine(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    }

    /**
     * picocli's message (it names the option and the value) and where the usage is, on one line:
     * {@code Unknown option: '--no-such-option' (usage: brainstate4j train --help)}.
     */
    static String parameterError(CommandLine.ParameterException e) {
        String command = e.getCommandLine() != null ? e.getCommandLine().getCommandSpec().qualifiedName() : "brainstate4j";
        String message = oneLine(e.getMessage());
        if (message.endsWith(".")) message = message.substring(0, message.length() - 1);
        return message + " (usage: " + command + " --help)";
    }

    /** The library lists every mismatched parameter on its own line; here the counts and the first of each kind. */
    private static String parameterMismatch(ParameterMismatchException p) {
        String first = p.getMessage().lines().findFirst().orElse("the parameters do not fit");
        if (first.endsWith(":")) first = first.substring(0, first.length() - 1);
        List<String> parts = new ArrayList<>();
        if (!p.missing().isEmpty()) {
            parts.add(p.missing().size() + " missing from the file (first " + p.missing().get(0) + ")");
        }
        if (!p.unexpected().isEmpty()) {
            parts.add(p.unexpected().size() + " the model does not have (first " + p.unexpected().get(0) + ")");
        }
        if (!p.shapeMismatches().isEmpty()) {
            parts.add(p.shapeMismatches().size() + " of another shape or type (first " + p.shapeMismatches().get(0) + ")");
        }
        return first + ": " + String.join("; ", parts);
    }

    /** Line breaks (and the indentation after them) become "; ". */
    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** Options shared by every command that needs a model kind and the data. */
    static final class Common {
        @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = "cnn",
                description = "cnn, cnn-ws, autoencoder, unet or unet-ws (default: ${DEFAULT-VALUE})")
        String model;

        @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/fashion-mnist",
                description = "Fashion-MNIST directory with the four IDX files, gzipped or not (default: ${DEFAULT-VALUE})")
        Path data;

        @Option(names = "--width", paramLabel = "W", defaultValue = "16",
                description = "U-Net base channels, a multiple of 8 (the tutorial's is 64; default: ${DEFAULT-VALUE})")
        int width;
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
