//! Typed register access: the generated `regs` module over any [`Device`].
//!
//! peakrdl-rust's accessors compute each register's address as `base + offset`. We give them base
//! 0, so the "pointer" they hand to the I/O trait is the register's BAR0 offset, which the device
//! turns into a real MMIO access (a volatile load/store into the mapped BAR, or a simulated
//! AXI4-Lite transaction). No pointer is ever dereferenced here.

use crate::device::Device;
use crate::regs::TwRegs;
use peakrdl_rust::io::RawRegisterIO;
use peakrdl_rust::reg::RegInt;

/// Register I/O through a [`Device`]: 32-bit accesses at BAR0 offsets.
pub struct DeviceIo<'a, D: ?Sized>(pub &'a D);

impl<D: Device + ?Sized> RawRegisterIO for DeviceIo<'_, D> {
    type Error = core::convert::Infallible;

    unsafe fn try_read<T: RegInt>(&self, ptr: *const T) -> Result<T, Self::Error> {
        assert_eq!(
            core::mem::size_of::<T>(),
            4,
            "tickwire registers are 32-bit"
        );
        let value = self.0.read32(ptr as usize);
        let bytes = value.to_le_bytes();
        Ok(T::from_le_bytes(
            &bytes[..].try_into().expect("4-byte register"),
        ))
    }

    unsafe fn try_write<T: RegInt>(&self, ptr: *mut T, value: T) -> Result<(), Self::Error> {
        assert_eq!(
            core::mem::size_of::<T>(),
            4,
            "tickwire registers are 32-bit"
        );
        let b = value.to_le_bytes();
        let b = b.as_ref();
        self.0
            .write32(ptr as usize, u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        Ok(())
    }
}

/// The card's register map over `io`.
pub fn regs<'a, D: Device + ?Sized>(io: &'a DeviceIo<'a, D>) -> TwRegs<'a, DeviceIo<'a, D>> {
    // SAFETY: base 0 is never dereferenced: DeviceIo treats the addresses the accessors compute
    // as BAR0 offsets, and Card::open checked that BAR0 covers TwRegs::SIZE.
    unsafe { TwRegs::from_ptr_with(core::ptr::null_mut(), io) }
}
