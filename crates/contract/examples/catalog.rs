//! Prints the endpoint catalogue (see `datafast_contract::catalog`) as JSON on stdout.
//! `scripts/build-pkg.sh` ships it in the npm package.

fn main() {
    println!("{}", datafast_contract::catalog::catalog());
}
