package io.streamprop.cli;

public final class Streamprop {
    private Streamprop() {
    }

    public static void main(String[] args) {
    }
}
