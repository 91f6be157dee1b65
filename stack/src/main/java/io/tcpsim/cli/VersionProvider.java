package io.tcpsim.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, or "dev" when run from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"tcpsim " + (version == null ? "dev" : version)
                + " (Java " + Runtime.version() + ")"};
    }
}
