import Foundation

/// The layout kubelet writes for a Secret volume: the files in a hidden timestamped
/// directory, `..data` pointing at it, and one symlink per key through `..data`.
public enum KubernetesSecretVolume {
    public static func write(_ keys: [String: String], to path: String) throws {
        let manager = FileManager.default
        let stamp = "..2026_12_02_05_00_00.123456789"
        try manager.createDirectory(atPath: path + "/" + stamp, withIntermediateDirectories: true)
        for (id, key) in keys {
            try Data((key + "\n").utf8).write(to: URL(fileURLWithPath: path + "/" + stamp + "/" + id))
            try manager.createSymbolicLink(atPath: path + "/" + id, withDestinationPath: "..data/" + id)
        }
        try manager.createSymbolicLink(atPath: path + "/..data", withDestinationPath: stamp)
    }
}
