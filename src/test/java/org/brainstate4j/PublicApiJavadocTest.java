package org.brainstate4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every type that src/main/java exports (public, inside public types all the way out; a type nested
 * in an interface is public by itself) has a javadoc comment, and every package has a
 * {@code package-info.java} with one. The javadoc tool's own check ({@code doclint missing}) cannot
 * be limited to types: it also demands a comment on every public accessor and bean property.
 * Parses the sources with the JDK's compiler tree API (parsing only: about a second).
 */
class PublicApiJavadocTest {
    private static final Path SOURCES = Path.of("src/main/java");

    @Test
    void everyExportedTypeAndPackageHasJavadoc() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<String> undocumented = new ArrayList<>();
        Set<String> packages = new TreeSet<>();
        Set<String> documentedPackages = new TreeSet<>();
        int types = 0;
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(null, null, null)) {
            JavacTask task = (JavacTask) compiler.getTask(null, fm, null, List.of("-proc:none"), null,
                    fm.getJavaFileObjectsFromPaths(files));
            DocTrees docs = DocTrees.instance(task);
            for (CompilationUnitTree unit : task.parse()) {
                String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
                packages.add(pkg);
                if (unit.getSourceFile().getName().endsWith("package-info.java")) {
                    TreePath declaration = new TreePath(new TreePath(unit), unit.getPackage());
                    if (docs.getDocCommentTree(declaration) != null) documentedPackages.add(pkg);
                    continue;
                }
                List<String> exported = new ArrayList<>();
                new TreePathScanner<Void, Boolean>() {
                    @Override
                    public Void visitClass(ClassTree type, Boolean enclosingExported) {
                        Tree parent = getCurrentPath().getParentPath().getLeaf();
                        boolean inInterface = parent instanceof ClassTree c
                                && (c.getKind() == Tree.Kind.INTERFACE || c.getKind() == Tree.Kind.ANNOTATION_TYPE);
                        boolean isExported = enclosingExported
                                && (type.getModifiers().getFlags().contains(Modifier.PUBLIC) || inInterface);
                        if (isExported) {
                            exported.add(type.getSimpleName().toString());
                            if (docs.getDocCommentTree(getCurrentPath()) == null) {
                                undocumented.add(pkg + "." + qualifiedName(getCurrentPath()));
                            }
                        }
                        return super.visitClass(type, isExported);
                    }
                }.scan(new TreePath(unit), true);
                types += exported.size();
            }
        }
        assertTrue(types > 50, "found only " + types + " exported types: is " + SOURCES.toAbsolutePath() + " the source tree?");
        assertEquals(List.of(), undocumented, "exported types without a javadoc comment");
        Set<String> withoutInfo = new TreeSet<>(packages);
        withoutInfo.removeAll(documentedPackages);
        assertEquals(Set.of(), withoutInfo, "packages without a documented package-info.java");
    }

    private static String qualifiedName(TreePath path) {
        StringBuilder name = new StringBuilder();
        for (TreePath p = path; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof ClassTree c) {
                name.insert(0, name.length() == 0 ? c.getSimpleName() : c.getSimpleName() + ".");
            }
        }
        return name.toString();
    }
}
