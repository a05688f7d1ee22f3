package dev.sparkgateway.db;

import dev.sparkgateway.error.UnavailableException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The few JDBC shapes the PostgreSQL stores (statements, named sessions) use: an update, a query,
 * a transaction, each on a connection from the pool, with SQL failures turned unchecked. Plain
 * JDBC: a store's dozen statements do not call for an ORM, and each one's SQL stays readable
 * where it is used.
 */
public final class Jdbc {

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    @FunctionalInterface
    public interface Work {
        void run(Connection c) throws SQLException;
    }

    private final DataSource db;
    private final String store;

    /** {@code store} names what the database holds for this user of it, in failures ("statement store"). */
    public Jdbc(DataSource db, String store) {
        this.db = db;
        this.store = store;
    }

    /** Runs an INSERT/UPDATE/DELETE; {@code UUID[]} arguments are passed as uuid arrays. */
    public int update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = prepare(c, sql, args); ResultSet r = ps.executeQuery()) {
            return rows(r, mapper);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
        return query(sql, mapper, args).stream().findFirst();
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    public void inTransaction(Work work) {
        try (Connection c = db.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** A query on the connection of a transaction. */
    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet r = ps.executeQuery()) {
            return rows(r, mapper);
        }
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    private static <T> List<T> rows(ResultSet r, RowMapper<T> mapper) throws SQLException {
        List<T> rows = new ArrayList<>();
        while (r.next()) {
            rows.add(mapper.map(r));
        }
        return rows;
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg instanceof UUID[] ids) {
                ps.setArray(i + 1, c.createArrayOf("uuid", ids));
            } else {
                ps.setObject(i + 1, arg);
            }
        }
        return ps;
    }

    /** A database that cannot be reached, or refuses, is the operator's problem: a 503 for the caller. */
    private UnavailableException failed(SQLException e) {
        return new UnavailableException(UnavailableException.Reason.STATEMENT_STORE, "The " + store + " (PostgreSQL) failed: "
                + e.getMessage() + "; retry shortly", e);
    }
}
