package dev.modelregistry.cli;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Registration;
import dev.modelregistry.internal.util.MessageText;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Registers a version from artifact files (or a folder of them) and a metadata file. Everything is
 * read and validated before the first byte is uploaded; the upload shows a progress bar on a terminal.
 */
@Command(name = "register",
        description = {"Register a new version: artifact files (or a folder of files) plus a metadata JSON file.",
                "The metadata file's fields: model, version or bump, tags, framework, frameworkVersion, hyperparameters,"
                        + " signature, metrics, datasets, evaluationSets, trainingRun, code, containerImage, environmentFile,"
                        + " parents, description, labels, modelCard, reason (see registry-cli/README.md)."},
        footerHeading = "%nExample:%n",
        footer = {"  registry --as training-pipeline --role data-scientist register --metadata fraud-1.5.0.json model.bin scaler.json",
                "  registry register --model fraud-detector --bump auto --tag nightly-2026-11-26 build/model/"})
final class RegisterCommand extends RegistryCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "ARTIFACT", arity = "0..*",
            description = "Files to store, each under its file name; a folder stands for the files directly in it.")
    List<Path> artifacts = new ArrayList<>();

    @Option(names = "--metadata", paramLabel = "FILE", description = "The metadata JSON file.")
    Path metadataFile;

    @Option(names = "--model", paramLabel = "MODEL", description = "The model (instead of the file's \"model\").")
    String model;

    @Option(names = "--version", paramLabel = "VERSION", description = "The exact version (instead of the file's \"version\").")
    String version;

    @Option(names = "--bump", paramLabel = "BUMP", description = "major, minor, patch or auto (instead of the file's \"bump\"); default auto.")
    String bump;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag, unique in the model (repeatable; added to the file's).")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-m", "--reason"}, paramLabel = "TEXT", description = "Why (instead of the file's \"reason\").")
    String reason;

    @Option(names = "--progress", negatable = true, description = "Show upload progress; default: on a terminal.")
    Boolean progress;

    @Override
    boolean createsRegistry() {
        return true;
    }

    private Registration registration;
    private ProgressBar bar;
    private long total;

    @Override
    void prepare() throws IOException {
        Metadata metadata = metadataFile == null ? Metadata.empty() : readMetadata(metadataFile);
        String modelName = pick("model", model, metadata.model().orElse(null));
        if (modelName == null) {
            throw new RegistryCli.UsageException("No model given: pass --model or put \"model\" in the metadata file");
        }
        String exact = pick("version", version, metadata.version().orElse(null));
        String bumpText = pick("bump", bump, metadata.bump().orElse(null));
        if (exact != null && bumpText != null) {
            throw new RegistryCli.UsageException("Both a version (" + MessageText.quote(exact) + ") and a bump (" + MessageText.quote(bumpText)
                    + ") given; give one");
        }
        Registration.Builder b = Registration.of(modelName);
        if (exact != null) {
            b.version(exact);
        } else if (bumpText != null) {
            b.bump(Metadata.bump(bumpText));
        }
        metadata.applyTo(b);
        tags.forEach(b::tag);
        String why = reason != null ? reason : metadata.reason().orElse("");
        b.reason(why);

        List<Path> files = expand(artifacts);
        total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        boolean show = progress != null ? progress : cli().interactive();
        bar = new ProgressBar(err(), total, show && !files.isEmpty());
        for (Path f : files) {
            b.artifact(f.getFileName().toString(), Files.probeContentType(f), new LazyFileStream(f, bar), null);
        }
        registration = b.build();
    }

    @Override
    int run(ModelRegistry registry) {
        ModelVersion v;
        try {
            v = registry.register(principal(), registration);
        } finally {
            bar.finish();
        }
        PrintWriter out = out();
        out.println("Registered " + v + " (" + v.artifacts().size() + " artifact" + (v.artifacts().size() == 1 ? "" : "s")
                + ", " + Text.bytes(total) + ")");
        v.artifacts().forEach(a -> out.println("  " + a.name() + "  sha256:" + a.sha256().hex()));
        return RegistryCli.OK;
    }

    private static Metadata readMetadata(Path file) throws IOException {
        return Metadata.parse(file.toString(), InputFile.readJson("Metadata", file));
    }

    private static String pick(String what, String option, String fromFile) {
        if (option != null && fromFile != null && !option.equals(fromFile)) {
            throw new RegistryCli.UsageException("The " + what + " is " + MessageText.quote(option) + " on the command line but "
                    + MessageText.quote(fromFile) + " in the metadata file; give it once");
        }
        return option != null ? option : fromFile;
    }

    /** Files as given; a folder becomes the regular files directly in it, sorted by name. */
    private static List<Path> expand(List<Path> given) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : given) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> children = Files.list(p)) {
                    for (Path child : children.sorted().toList()) {
                        if (Files.isDirectory(child)) {
                            throw new RegistryCli.UsageException("Folder " + p + " contains the folder " + child.getFileName()
                                    + "; artifact names cannot contain '/': pass its files, or archive the folder into one file");
                        }
                        files.add(child);
                    }
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new NotFoundException("Artifact file " + p + " does not exist or is not a regular file");
            }
        }
        return files;
    }

    /**
     * Opens the file only when the registry starts storing it, so a registration refused before the
     * upload opens nothing, and counts the bytes read for the progress bar.
     */
    private static final class LazyFileStream extends InputStream {
        private final Path file;
        private final ProgressBar bar;
        private InputStream in;

        LazyFileStream(Path file, ProgressBar bar) {
            this.file = file;
            this.bar = bar;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                in = Files.newInputStream(file);
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            int b = in().read();
            if (b >= 0) {
                bar.advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = in().read(buffer, off, len);
            if (n > 0) {
                bar.advance(n);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }
}
