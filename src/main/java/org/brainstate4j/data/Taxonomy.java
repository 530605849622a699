package org.brainstate4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The label set of a {@link SegmentationSet}: class 0 is always the background, and each of the
 * ten Fashion-MNIST classes maps to one garment class {@code 1 .. numClasses()-1}.
 *
 * <ul>
 *   <li>{@link #FINE} (default), 11 classes: background, then the ten Fashion-MNIST classes in
 *       their original order (Fashion-MNIST class {@code k} is label {@code k+1}).</li>
 *   <li>{@link #COARSE}, 6 classes: background; top = {T-shirt/top, Pullover, Coat, Shirt};
 *       trousers = {Trouser}; dress = {Dress}; footwear = {Sandal, Sneaker, Ankle boot};
 *       bag = {Bag}. The fine tops are hard to tell apart even at 28x28; the coarse set keeps the
 *       segmentation task about shape and position.</li>
 *   <li>{@link #of} builds any other grouping.</li>
 * </ul>
 */
public final class Taxonomy {
    /** Background + the ten Fashion-MNIST classes (11 labels). */
    public static final Taxonomy FINE = fine();
    /** Background + top, trousers, dress, footwear, bag (6 labels). */
    public static final Taxonomy COARSE = of("coarse",
            List.of("background", "top", "trousers", "dress", "footwear", "bag"),
            //   T-shirt Trouser Pullover Dress Coat Sandal Shirt Sneaker Bag Ankle boot
            new int[] {1, 2, 1, 3, 1, 4, 1, 4, 5, 4});

    private final String name;
    private final List<String> classNames;
    private final int[] labelOfFashionClass;

    private Taxonomy(String name, List<String> classNames, int[] labelOfFashionClass) {
        this.name = name;
        this.classNames = List.copyOf(classNames);
        this.labelOfFashionClass = labelOfFashionClass.clone();
    }

    private static Taxonomy fine() {
        List<String> names = new ArrayList<>();
        names.add("background");
        names.addAll(FashionMnist.CLASS_NAMES);
        int[] map = new int[FashionMnist.NUM_CLASSES];
        for (int k = 0; k < map.length; k++) map[k] = k + 1;
        return new Taxonomy("fine", names, map);
    }

    /**
     * A custom taxonomy.
     *
     * @param classNames names of labels {@code 0 .. n-1}; label 0 is the background
     * @param labelOfFashionClass for each Fashion-MNIST class 0..9, its label in {@code 1 .. n-1};
     *     every label 1..n-1 must be used
     */
    public static Taxonomy of(String name, List<String> classNames, int[] labelOfFashionClass) {
        if (classNames.size() < 2) {
            throw new IllegalArgumentException("a taxonomy needs the background and at least one garment class, got " + classNames);
        }
        if (labelOfFashionClass.length != FashionMnist.NUM_CLASSES) {
            throw new IllegalArgumentException("labelOfFashionClass must have one entry per Fashion-MNIST class (10), got "
                    + labelOfFashionClass.length);
        }
        boolean[] used = new boolean[classNames.size()];
        for (int k = 0; k < labelOfFashionClass.length; k++) {
            int l = labelOfFashionClass[k];
            if (l < 1 || l >= classNames.size()) {
                throw new IllegalArgumentException("Fashion-MNIST class " + k + " (" + FashionMnist.CLASS_NAMES.get(k) + ") maps to "
                        + l + ", outside the garment labels 1.." + (classNames.size() - 1) + " (0 is the background)");
            }
            used[l] = true;
        }
        for (int l = 1; l < used.length; l++) {
            if (!used[l]) {
                throw new IllegalArgumentException("label " + l + " (" + classNames.get(l) + ") is not used by any Fashion-MNIST class: "
                        + Arrays.toString(labelOfFashionClass));
            }
        }
        return new Taxonomy(name, classNames, labelOfFashionClass);
    }

    public String name() {
        return name;
    }

    /** Number of labels, background included. */
    public int numClasses() {
        return classNames.size();
    }

    /** Names of labels {@code 0 .. numClasses()-1}; index 0 is the background. */
    public List<String> classNames() {
        return classNames;
    }

    /** The label (1..numClasses()-1) of Fashion-MNIST class {@code fashionClass} (0..9). */
    public int labelOf(int fashionClass) {
        return labelOfFashionClass[fashionClass];
    }

    @Override
    public String toString() {
        return "Taxonomy[" + name + ", " + classNames + "]";
    }
}
