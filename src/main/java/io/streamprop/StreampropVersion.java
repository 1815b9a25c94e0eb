package io.streamprop;

/** The version of this build of Streamprop, from the jar's manifest. */
public final class StreampropVersion {
    private StreampropVersion() {
    }

    /** The manifest's implementation version, or "dev" when running from compiled classes. */
    public static String current() {
        String v = StreampropVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
