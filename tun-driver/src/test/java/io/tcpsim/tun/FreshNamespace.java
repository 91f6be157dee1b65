package io.tcpsim.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test method that declares a {@link NetNamespace} parameter a new namespace named
 * {@code tcpsim-t-<pid>-<n>}, deleted after the test whatever its outcome. Before the class it
 * reaps namespaces left by dead test JVMs; after it, it checks that none of this JVM's remain.
 */
final class FreshNamespace implements ParameterResolver, AfterEachCallback, BeforeAllCallback, AfterAllCallback {
    static final String PREFIX = "tcpsim-t";

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(FreshNamespace.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        NetNamespace.reapStale(PREFIX);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == NetNamespace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        try {
            NetNamespace namespace = NetNamespace.create(NetNamespace.uniqueName(PREFIX));
            created(context).add(namespace);
            return namespace;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a test namespace", e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        IOException failure = null;
        for (NetNamespace namespace : created(context)) {
            try {
                namespace.delete();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        assertEquals(List.of(), ours(), "namespaces of this JVM left behind");
    }

    /** @return the namespaces of this JVM that {@link NetNamespace#uniqueName} named with {@link #PREFIX} */
    static List<String> ours() throws IOException {
        String start = PREFIX + "-" + ProcessHandle.current().pid() + "-";
        return NetNamespace.list().stream().filter(name -> name.startsWith(start)).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<NetNamespace> created(ExtensionContext context) {
        return context.getStore(STORE).getOrComputeIfAbsent("created", key -> new ArrayList<NetNamespace>(), List.class);
    }
}
