"""What the site says beyond the derivations: the claims audit, the worked examples, the experiment."""
