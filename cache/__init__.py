"""Cache backends behind one small interface."""
