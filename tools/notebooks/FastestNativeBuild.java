// Prints the extension of ND4J's fastest native build on this machine and class path (NativeBuilds,
// the command line's choice), for tools/notebooks/setup.sh to put on the kernel's JVM command line:
//   java -cp <the project's runtime class path> tools/notebooks/FastestNativeBuild.java
public class FastestNativeBuild {
    public static void main(String[] args) {
        System.out.print(org.brainstate4j.NativeBuilds.fastestAvailable().extension());
    }
}
