package dev.etcdj.server.internal.auth;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.etcdj.proto.authpb.Permission;
import dev.etcdj.proto.authpb.Role;
import dev.etcdj.proto.authpb.User;
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.server.internal.storage.Backend;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Users, roles, the enabled flag and the auth revision, plus the in-memory simple tokens.
 *
 * <p>The durable part lives in the server's RocksDB backend under the one-byte prefix {@code 'A'}
 * ({@code 'A' 'u' name} → authpb.User, {@code 'A' 'r' name} → authpb.Role, {@code 'A' 'e'} →
 * enabled flag, {@code 'A' 'v'} → revision) and is only changed by mutations on the apply thread
 * (through {@link dev.etcdj.server.internal.apply.Proposals#propose}), in the same fsynced write batches as every other write. Readers
 * see an immutable {@link State} snapshot that each mutation swaps in.
 */
public final class AuthStore {
    static final String ROOT = "root";
    public static final byte PREFIX = 'A';
    public static final byte USER = 'u';
    public static final byte ROLE = 'r';
    public static final byte[] ENABLED_KEY = {PREFIX, 'e'};
    public static final byte[] REVISION_KEY = {PREFIX, 'v'};
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** An immutable view of the auth data; maps are sorted by name like etcd's bbolt buckets. */
    record State(boolean enabled, long revision, Map<String, User> users, Map<String, Role> roles,
            Map<String, RangePerms> perms) {
        User user(String name) {
            return users.get(name);
        }

        boolean isRoot(User u) {
            return u != null && u.getRolesList().contains(ROOT);
        }
    }

    private record Token(String user, long[] expiry) {
    }

    private final long tokenTtlNanos;
    private final int bcryptCost;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    /** Non-null with {@code --auth-token jwt,...}: stateless signed tokens instead of the simple ones. */
    private final JwtTokens jwt;
    private volatile State state;

    /**
     * etcd's --auth-token-ttl for simple tokens (default 300 s), from the system property
     * {@value #TOKEN_TTL_PROPERTY} in seconds, as the public builder has no option for it.
     */
    public static final String TOKEN_TTL_PROPERTY = "etcdj.authTokenTtl";
    static final long DEFAULT_TOKEN_TTL_SECONDS = 300;

    /** The simple-token TTL set by {@value #TOKEN_TTL_PROPERTY}, else etcd's default. */
    public static long tokenTtlSecondsFromProperty() {
        String v = System.getProperty(TOKEN_TTL_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_TOKEN_TTL_SECONDS;
        }
        try {
            long ttl = Long.parseLong(v.trim());
            if (ttl <= 0) {
                throw new NumberFormatException("not positive");
            }
            return ttl;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TOKEN_TTL_PROPERTY + " must be a positive number of seconds: " + v, e);
        }
    }

    /**
     * @param authToken etcd's {@code --auth-token}: {@code simple}, or {@code jwt,sign-method=…,priv-key=…,pub-key=…,ttl=…}
     * @param bcryptCost etcd's {@code --bcrypt-cost} for new password hashes (4..31)
     * @throws IllegalArgumentException with etcd's message ("auth: invalid auth options", ...) for a bad one
     */
    public AuthStore(Backend backend, long tokenTtlSeconds, String authToken, int bcryptCost) {
        if (bcryptCost < Passwords.MIN_COST || bcryptCost > Passwords.MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost must be between " + Passwords.MIN_COST + " and "
                    + Passwords.MAX_COST + ": " + bcryptCost);
        }
        this.bcryptCost = bcryptCost;
        this.tokenTtlNanos = TimeUnit.SECONDS.toNanos(tokenTtlSeconds);
        String type = authToken.split(",", -1)[0];
        java.util.Map<String, String> opts = JwtTokens.options(authToken);
        switch (type) {
            case "simple" -> {
                this.jwt = null;
                org.slf4j.LoggerFactory.getLogger(AuthStore.class).warn("simple token is not cryptographically signed");
            }
            case "jwt" -> this.jwt = JwtTokens.fromOptions(opts, java.time.Clock.systemUTC());
            default -> throw new IllegalArgumentException(JwtTokens.INVALID_OPTS);
        }
        this.state = load(backend);
    }

    /** The auth revision of a store nothing has changed yet, as etcd 3.4's {@code NewAuthStore} leaves it. */
    public static final long FRESH_REVISION = 1;

    private static State load(Backend backend) {
        Map<String, User> users = new TreeMap<>();
        Map<String, Role> roles = new TreeMap<>();
        try {
            for (Map.Entry<byte[], byte[]> e : scan(backend, USER).entrySet()) {
                User u = User.parseFrom(e.getValue());
                users.put(u.getName().toStringUtf8(), u);
            }
            for (Map.Entry<byte[], byte[]> e : scan(backend, ROLE).entrySet()) {
                Role r = Role.parseFrom(e.getValue());
                roles.put(r.getName().toStringUtf8(), r);
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt auth record: " + e.getMessage(), e);
        }
        byte[] en = backend.get(ENABLED_KEY);
        byte[] rev = backend.get(REVISION_KEY);
        // etcd commits revision 1 when it opens a store that has none, so a fresh store is at 1, not 0;
        // JWTs carry this revision and etcd refuses one below its own ("revision of auth store is old").
        return build(en != null && en.length == 1 && en[0] == 1, Math.max(FRESH_REVISION, rev == null ? 0 : Backend.getLong(rev, 0)),
                users, roles);
    }

    private static Map<byte[], byte[]> scan(Backend backend, byte kind) {
        Map<byte[], byte[]> out = new java.util.LinkedHashMap<>();
        backend.scan(new byte[] {PREFIX, kind}, null, (k, v) -> {
            out.put(k, v);
            return true;
        });
        return out;
    }

    private static State build(boolean enabled, long revision, Map<String, User> users, Map<String, Role> roles) {
        Map<String, RangePerms> perms = new HashMap<>();
        for (User u : users.values()) {
            perms.put(u.getName().toStringUtf8(), RangePerms.merge(u, roles));
        }
        return new State(enabled, revision, Collections.unmodifiableMap(users), Collections.unmodifiableMap(roles),
                perms);
    }

    State state() {
        return state;
    }

    /** A new password's stored form: bcrypt at this server's cost (costly: never on the apply thread). */
    byte[] hashPassword(String password) {
        return Passwords.hash(password, bcryptCost);
    }

    /**
     * The calling user: the token's (validating it: an unknown or expired one fails the call), else the
     * client certificate's Common Name under client certificate auth, else null.
     */
    String user(Caller caller) {
        return caller.token() != null ? userOf(caller.token()) : caller.certUser();
    }

    // ---------------------------------------------------------------- tokens

    /**
     * The user behind a request's token: null when the request carries none; a token that is
     * unknown, expired or issued before auth was last disabled fails with "invalid auth token"
     * (etcd 3.4 checks it even while auth is disabled). Each use restarts the token's TTL.
     */
    String userOf(String token) {
        if (token == null) {
            return null;
        }
        if (jwt != null) {
            String user = jwt.verify(token);
            if (user == null) {
                throw WireError.INVALID_AUTH_TOKEN.asException();
            }
            return user;
        }
        Token t = tokens.get(token);
        long now = System.nanoTime();
        if (t == null) {
            throw WireError.INVALID_AUTH_TOKEN.asException();
        }
        synchronized (t) {
            if (now - t.expiry()[0] > 0) {
                tokens.remove(token, t);
                throw WireError.INVALID_AUTH_TOKEN.asException();
            }
            t.expiry()[0] = now + tokenTtlNanos;
        }
        return t.user();
    }

    /** A new token for an authenticated user (apply thread): simple "<16 letters>.<index>", or a signed JWT. */
    String issueToken(String user, long index) {
        if (jwt != null) {
            return jwt.issue(user, state.revision());
        }
        long now = System.nanoTime();
        tokens.values().removeIf(t -> {
            synchronized (t) {
                return now - t.expiry()[0] > 0;
            }
        });
        StringBuilder b = new StringBuilder(24);
        for (int i = 0; i < 16; i++) {
            b.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        String token = b.append('.').append(index).toString();
        tokens.put(token, new Token(user, new long[] {now + tokenTtlNanos}));
        return token;
    }

    private void invalidateUser(String user) {
        tokens.values().removeIf(t -> t.user().equals(user));
    }

    // ---------------------------------------------------------------- checks

    /** etcd's IsAdminPermitted with mapped errors. */
    void checkAdmin(State s, String user) {
        User u = checkedUser(s, user, WireError.USER_NOT_FOUND);
        if (u != null && !s.isRoot(u)) {
            throw WireError.PERMISSION_DENIED.asException();
        }
    }

    /** etcd's isOpPermitted: READ (forWrite=false) or WRITE on a key or [key, rangeEnd). */
    void checkKeys(State s, String user, boolean forWrite, ByteString key, ByteString rangeEnd) {
        User u = checkedUser(s, user, WireError.PERMISSION_DENIED);
        if (u == null || s.isRoot(u)) {
            return;
        }
        RangePerms p = s.perms().get(user);
        if (p == null || !p.permits(forWrite, key.toByteArray(), rangeEnd.toByteArray())) {
            throw WireError.PERMISSION_DENIED.asException();
        }
    }

    /**
     * The user a check is about, or null when auth is off (then every check passes). No user name
     * is etcd's user-empty error; an unknown user is {@code unknownUser}, which the checks differ on.
     */
    private static User checkedUser(State s, String user, WireError unknownUser) {
        if (!s.enabled()) {
            return null;
        }
        if (user == null || user.isEmpty()) {
            throw WireError.USER_EMPTY.asException();
        }
        User u = s.user(user);
        if (u == null) {
            throw unknownUser.asException();
        }
        return u;
    }

    // ---------------------------------------------------------------- mutations (apply thread)

    /** Writes one user record and swaps in the new state; bumps the revision. */
    void putUser(org.rocksdb.WriteBatch batch, User u) {
        Map<String, User> users = new TreeMap<>(state.users());
        users.put(u.getName().toStringUtf8(), u);
        Backend.put(batch, key(USER, u.getName().toStringUtf8()), u.toByteArray());
        commit(batch, state.enabled(), users, state.roles());
    }

    void deleteUser(org.rocksdb.WriteBatch batch, String name) {
        Map<String, User> users = new TreeMap<>(state.users());
        users.remove(name);
        Backend.delete(batch, key(USER, name));
        commit(batch, state.enabled(), users, state.roles());
        invalidateUser(name);
    }

    /**
     * Replaces an older etcdj password hash with the bcrypt one computed from the same password
     * (after a successful login). The password is unchanged, so neither the auth revision nor the
     * user's tokens change.
     */
    void upgradePasswordHash(org.rocksdb.WriteBatch batch, User u) {
        Map<String, User> users = new TreeMap<>(state.users());
        users.put(u.getName().toStringUtf8(), u);
        Backend.put(batch, key(USER, u.getName().toStringUtf8()), u.toByteArray());
        state = build(state.enabled(), state.revision(), users, state.roles());
    }

    void passwordChanged(String name) {
        invalidateUser(name);
    }

    void putRole(org.rocksdb.WriteBatch batch, Role r) {
        Map<String, Role> roles = new TreeMap<>(state.roles());
        roles.put(r.getName().toStringUtf8(), r);
        Backend.put(batch, key(ROLE, r.getName().toStringUtf8()), r.toByteArray());
        commit(batch, state.enabled(), state.users(), roles);
    }

    /** Deletes a role and takes it away from every user holding it. */
    void deleteRole(org.rocksdb.WriteBatch batch, String name) {
        Map<String, Role> roles = new TreeMap<>(state.roles());
        roles.remove(name);
        Backend.delete(batch, key(ROLE, name));
        Map<String, User> users = new TreeMap<>(state.users());
        for (User u : state.users().values()) {
            if (u.getRolesList().contains(name)) {
                User nu = withoutRole(u, name);
                users.put(nu.getName().toStringUtf8(), nu);
                Backend.put(batch, key(USER, nu.getName().toStringUtf8()), nu.toByteArray());
            }
        }
        commit(batch, state.enabled(), users, roles);
    }

    static User withoutRole(User u, String role) {
        User.Builder b = u.toBuilder().clearRoles();
        for (String r : u.getRolesList()) {
            if (!r.equals(role)) {
                b.addRoles(r);
            }
        }
        return b.build();
    }

    /** Enabling keeps the revision (like etcd); disabling bumps it and drops every token. */
    void setEnabled(org.rocksdb.WriteBatch batch, boolean enabled) {
        Backend.put(batch, ENABLED_KEY, new byte[] {(byte) (enabled ? 1 : 0)});
        State s = state;
        if (enabled) {
            state = new State(true, s.revision(), s.users(), s.roles(), s.perms());
        } else {
            commit(batch, false, s.users(), s.roles());
            tokens.clear();
        }
    }

    private void commit(org.rocksdb.WriteBatch batch, boolean enabled, Map<String, User> users,
            Map<String, Role> roles) {
        long rev = state.revision() + 1;
        Backend.put(batch, REVISION_KEY, Backend.longBytes(rev));
        state = build(enabled, rev, users, roles);
    }

    private static byte[] key(byte kind, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] k = new byte[n.length + 2];
        k[0] = PREFIX;
        k[1] = kind;
        System.arraycopy(n, 0, k, 2, n.length);
        return k;
    }

    /** Sorted insert of a permission, replacing the type of an existing (key, range_end) grant. */
    static Role grant(Role role, Permission p) {
        java.util.List<Permission> perms = new java.util.ArrayList<>(role.getKeyPermissionList());
        for (int i = 0; i < perms.size(); i++) {
            Permission q = perms.get(i);
            if (q.getKey().equals(p.getKey()) && q.getRangeEnd().equals(p.getRangeEnd())) {
                perms.set(i, q.toBuilder().setPermType(p.getPermType()).build());
                return role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build();
            }
        }
        perms.add(Permission.newBuilder().setKey(p.getKey()).setRangeEnd(p.getRangeEnd())
                .setPermType(p.getPermType()).build());
        perms.sort((a, b) -> ByteString.unsignedLexicographicalComparator().compare(a.getKey(), b.getKey()));
        return role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build();
    }
}
